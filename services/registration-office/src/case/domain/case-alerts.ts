import { toVietnamIso, type WorkingCalendar } from '@lienthong/statutory-clock';
import type { Case, CaseState } from './case';
import { apologyOutcome } from './case-apology';
import { baseEventData, ledgerOf, pausedIntervalsOf, type Outcome } from './case-workflow';

/** The thresholds of the clock watch. */
export interface AlertPolicy {
  /** A case is due soon when at most this many working minutes are left (and it is not late yet). */
  dueSoonWorkingMinutes: number;
  /** The apology letter's new appointment: this many working days after the case was found late. */
  apologyExtensionWorkingDays: number;
}

/** Vietnamese names of the states, for letters the citizen reads. */
export const STATE_LABEL_VI: Readonly<Record<CaseState, string>> = {
  RECEIVED: 'đã tiếp nhận, chờ phân công',
  ASSIGNED: 'đã phân công',
  IN_REVIEW: 'đang thẩm định',
  FIELD_CHECK: 'đang kiểm tra thực địa, đo đạc',
  PUBLIC_POSTING: 'đang niêm yết công khai',
  SUPPLEMENT_REQUESTED: 'chờ bổ sung hồ sơ',
  AWAITING_FINANCIAL_OBLIGATION: 'chờ thực hiện nghĩa vụ tài chính',
  OBLIGATION_MET: 'đã hoàn thành nghĩa vụ tài chính',
  APPROVED: 'đã phê duyệt',
  CERTIFICATE_ISSUED: 'đã cấp giấy chứng nhận',
  RESULT_RETURNED: 'đã trả kết quả',
  REJECTED: 'từ chối',
  WITHDRAWN: 'đã rút hồ sơ',
  STOPPED: 'dừng xử lý',
};

/**
 * What the clock watch must do for one case at `now` (pure): fire `case.due-soon` once when the remaining working
 * time falls within the threshold, and once the case is late fire `case.overdue` with the apology letter (form 04 of
 * Circular 01/2018/TT-VPCP: the reason and a new appointment) as a document and a `case.apology-issued` event,
 * unless a worker issued one before (then the due date already moved). The letter moves the ledger's due date and
 * resets the markers, so the alerts fire once per due date. Undefined when nothing is due.
 */
export function detectAlerts(
  kase: Case,
  now: Date,
  calendar: WorkingCalendar,
  policy: AlertPolicy,
): Outcome | undefined {
  if (!kase.open) return undefined;
  // A watcher whose round started before the case's last apology letter (another instance, or a long round) holds a
  // time the case has already moved past: the letter's own markers decide from there, nothing is due at that time.
  const lastLetter = kase.clock.extensions?.at(-1);
  if (lastLetter && Date.parse(lastLetter.at) > now.getTime()) return undefined;
  const ledger = ledgerOf(kase, calendar);
  const dueAt = ledger.dueAt(now);
  const at = now.toISOString();
  const actor = { unitCode: kase.branchCode ?? 'UNASSIGNED' };
  const common = {
    ...baseEventData(kase),
    state: kase.state,
    dueAt: toVietnamIso(dueAt),
    at,
    pausedIntervals: pausedIntervalsOf(kase.clock),
  };
  if (ledger.isLate(now)) {
    if (kase.alerts.overdueFor !== undefined) return undefined;
    // No letter was issued by the due time: the system issues one with the policy's new appointment.
    const newDueAt = calendar.addWorkingMinutes(
      calendar.nextWorkingInstant(now),
      policy.apologyExtensionWorkingDays * calendar.minutesPerWorkingDay,
    );
    const reason = `Hồ sơ chưa được giải quyết đúng hạn: đến hạn ${toVietnamIso(dueAt)} hồ sơ ${STATE_LABEL_VI[kase.state]}.`;
    const apology = apologyOutcome(kase, {
      newDueAt,
      reason,
      now,
      calendar,
      actor,
      audit: { at, actor: 'registration-office', kind: 'ALERT', what: 'OVERDUE', reason },
    });
    return {
      kase: apology.kase,
      events: [{ type: 'case.overdue', data: common }, ...apology.events],
      audit: apology.audit,
    };
  }
  const remaining = ledger.remainingWorkingMinutes(now);
  if (remaining > policy.dueSoonWorkingMinutes || kase.alerts.dueSoonFor !== undefined) return undefined;
  return {
    kase: { ...kase, alerts: { ...kase.alerts, dueSoonFor: dueAt.toISOString() } },
    events: [{ type: 'case.due-soon', data: { ...common, remainingWorkingMinutes: remaining } }],
    audit: [{ at, actor: 'registration-office', kind: 'ALERT', what: 'DUE_SOON' }],
  };
}
