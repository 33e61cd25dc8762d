import { Inject, Injectable } from '@nestjs/common';
import type { AlertPolicy } from '../../domain/case-alerts';
import { CaseReferenceData, CaseRepository } from '../../domain/case.ports';
import { ledgerOf } from '../../domain/case-workflow';
import { CaseStore } from '../case-store';
import { ALERT_POLICY } from '../watch-clock/clock-watch';

export interface DashboardView {
  branch: string;
  at: string;
  open: number;
  byState: Record<string, number>;
  overdue: number;
  dueSoon: number;
  byCommune: Record<string, { open: number; overdue: number; dueSoon: number }>;
}

/** Counts of a branch's open cases for the supervisor (office-api.md `GET /v1/dashboard`). */
@Injectable()
export class DashboardHandler {
  constructor(
    private readonly cases: CaseRepository,
    private readonly reference: CaseReferenceData,
    private readonly store: CaseStore,
    @Inject(ALERT_POLICY) private readonly policy: AlertPolicy,
  ) {}

  async execute(branch: string): Promise<DashboardView> {
    const now = this.store.clock.now();
    const view: DashboardView = {
      branch,
      at: now.toISOString(),
      open: 0,
      byState: {},
      overdue: 0,
      dueSoon: 0,
      byCommune: {},
    };
    for (const kase of await this.cases.openCases(branch)) {
      const ledger = ledgerOf(kase, this.reference.calendarFor(kase.communeCode));
      const late = ledger.isLate(now);
      const soon = !late && ledger.remainingWorkingMinutes(now) <= this.policy.dueSoonWorkingMinutes;
      const commune = (view.byCommune[kase.communeCode] ??= { open: 0, overdue: 0, dueSoon: 0 });
      view.open += 1;
      commune.open += 1;
      view.byState[kase.state] = (view.byState[kase.state] ?? 0) + 1;
      if (late) {
        view.overdue += 1;
        commune.overdue += 1;
      }
      if (soon) {
        view.dueSoon += 1;
        commune.dueSoon += 1;
      }
    }
    return view;
  }
}
