import { ValidationError } from '@lienthong/kernel';
import {
  IllegalClockOperationError,
  toVietnamIso,
  vietnamDateOf,
  type WorkingCalendar,
} from '@lienthong/statutory-clock';
import type { AuditDraft } from './audit-chain';
import type { Case } from './case';
import { baseEventData, ledgerOf, type Actor, type ActionRequest, type Outcome } from './case-workflow';

/** The form the letter follows. */
export const APOLOGY_FORM = 'Mẫu 04, Thông tư 01/2018/TT-VPCP';

/**
 * Why a worker may not issue an apology letter now, or undefined when they may. The letter is offered from the
 * due-soon alert on (ADR 0009): domain.md §1.7 found no rule on how early it must go (the old "at least one day
 * before" practice is unconfirmed), so the office decides with the threshold it already uses to warn its workers.
 * After an apology the alerts start afresh for the agreed date, so a second letter needs a second warning.
 */
export function apologyRefusal(kase: Pick<Case, 'alerts'>): string | undefined {
  if (kase.alerts.dueSoonFor !== undefined || kase.alerts.overdueFor !== undefined) return undefined;
  return 'an apology letter (form 04) can be issued from the due-soon alert of the case on; the case is not due soon';
}

/** What the letter says and who issues it. */
export interface ApologyInput {
  /** The agreed new due date. */
  newDueAt: Date;
  /** Why the case is late; printed in the letter. */
  reason: string;
  now: Date;
  calendar: WorkingCalendar;
  /** The unit and, for a worker, the user id, as case events name actors. */
  actor: { unitCode: string; userId?: string };
  /** The audit entry of the issue. */
  audit: AuditDraft;
}

/**
 * The apology letter (form 04 of Circular 01/2018/TT-VPCP: the reason and a new appointment) and what it changes
 * (pure): the ledger's due date moves to the agreed date (`ClockLedger.extend`; later pauses shift it further), the
 * letter joins the case's documents, the due-soon and overdue alerts start afresh for the new date, and a
 * `case.apology-issued` event carries the new date to dossier-intake. The state does not change.
 */
export function apologyOutcome(kase: Case, input: ApologyInput): Outcome {
  const ledger = ledgerOf(kase, input.calendar);
  const previousDueAt = ledger.dueAt(input.now);
  const extended = ledger.extend(input.newDueAt, input.now);
  const at = input.now.toISOString();
  const number = kase.documents.filter((d) => d.kind === 'APOLOGY_LETTER').length + 1;
  const letterNumber = `${kase.dossierCode}/XL-${number}`;
  const newDueAt = extended.dueAt(input.now);
  const next: Case = {
    ...kase,
    clock: extended.toSnapshot(),
    dueAt: newDueAt.toISOString(),
    alerts: {},
    documents: [
      ...kase.documents,
      {
        kind: 'APOLOGY_LETTER',
        form: APOLOGY_FORM,
        number: letterNumber,
        issuedAt: at,
        content: [
          'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
          `Hồ sơ: ${kase.dossierCode}`,
          `Ngày hẹn trả trước đây: ${toVietnamIso(previousDueAt)}`,
          `Lý do: ${input.reason}`,
          `Ngày hẹn trả kết quả mới: ${toVietnamIso(newDueAt)}`,
          'Văn phòng đăng ký đất đai xin lỗi ông/bà vì sự chậm trễ này.',
        ].join('\n'),
      },
    ],
  };
  return {
    kase: next,
    events: [
      {
        type: 'case.apology-issued',
        data: {
          ...baseEventData(kase),
          previousDueAt: toVietnamIso(previousDueAt),
          newDueAt: toVietnamIso(newDueAt),
          reason: input.reason,
          letterNumber,
          at,
          actor: input.actor,
        },
      },
    ],
    audit: [input.audit],
  };
}

/**
 * A worker's `ISSUE_APOLOGY` (pure; the caller checked the role, the claim and `apologyRefusal`): `reason` and
 * `details.newDueAt` are required. The new date is an RFC 3339 date-time inside office hours (or the close of a
 * working day), or a `YYYY-MM-DD` working day (due at its close); it must be later than the due date in force.
 */
export function issueApology(
  kase: Case,
  request: ActionRequest,
  actor: Actor,
  now: Date,
  calendar: WorkingCalendar,
): Outcome {
  const reason = typeof request.reason === 'string' ? request.reason.trim() : '';
  if (reason.length === 0 || reason.length > 1000) {
    throw new ValidationError('reason is required.', [
      {
        field: 'reason',
        code: 'REQUIRED',
        message: 'why the case is late, as the letter states it (1–1000 characters)',
      },
    ]);
  }
  const newDueAt = agreedDueDate(request.details?.newDueAt, calendar);
  const at = now.toISOString();
  try {
    return apologyOutcome(kase, {
      newDueAt,
      reason,
      now,
      calendar,
      actor: { unitCode: kase.branchCode ?? 'UNASSIGNED', userId: actor.userId },
      audit: {
        at,
        actor: actor.userId,
        ...(actor.branch ? { branch: actor.branch } : {}),
        kind: 'ACTION',
        what: 'ISSUE_APOLOGY',
        fromState: kase.state,
        toState: kase.state,
        reason,
      },
    });
  } catch (error) {
    if (error instanceof IllegalClockOperationError) throw invalidDueDate(error.message);
    throw error;
  }
}

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function agreedDueDate(value: unknown, calendar: WorkingCalendar): Date {
  if (typeof value === 'string' && CIVIL_DATE.test(value) && !Number.isNaN(Date.parse(value))) {
    if (!calendar.isWorkingDay(value)) throw invalidDueDate(`${value} is not a working day`);
    return calendar.closeOfDay(value);
  }
  if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    const instant = new Date(value);
    const opens = calendar.nextWorkingInstant(instant).getTime() === instant.getTime();
    const closes =
      calendar.isWorkingDay(vietnamDateOf(instant)) &&
      calendar.closeOfDay(vietnamDateOf(instant)).getTime() === instant.getTime();
    if (!opens && !closes) throw invalidDueDate(`${value} is outside office hours`);
    return instant;
  }
  throw new ValidationError('details.newDueAt is required.', [
    {
      field: 'details.newDueAt',
      code: 'REQUIRED',
      message: 'the agreed new due date: an RFC 3339 date-time in office hours, or a working day YYYY-MM-DD',
    },
  ]);
}

function invalidDueDate(message: string): ValidationError {
  return new ValidationError(`details.newDueAt is not a possible new due date: ${message}.`, [
    { field: 'details.newDueAt', code: 'INVALID', message },
  ]);
}
