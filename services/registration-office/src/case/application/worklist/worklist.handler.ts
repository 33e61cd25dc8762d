import { Injectable } from '@nestjs/common';
import { ValidationError } from '@lienthong/kernel';
import { CaseState } from '../../domain/case';
import { CaseReferenceData, CaseRepository } from '../../domain/case.ports';
import { ledgerOf } from '../../domain/case-workflow';
import { summaryView, type CaseSummaryView } from '../case-view';
import { CaseStore } from '../case-store';

export interface WorklistFilters {
  state?: string;
  procedureCode?: string;
  communeCode?: string;
  overdue?: string;
  dueWithinWorkingDays?: string;
  claimedBy?: string;
  cursor?: string;
  limit?: string;
}

export interface WorklistPage {
  items: CaseSummaryView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

const maxLimit = 100;

/**
 * A branch's open cases, soonest due first (office-api.md `GET /v1/worklist`). The order is the stored due date,
 * which for a running clock is the order of remaining working time; a paused case keeps the due date it had when it
 * paused until it resumes (its remaining time stands still meanwhile). Cursor pagination on (due date, dossier code),
 * served by the `worklist_*` indexes.
 */
@Injectable()
export class WorklistHandler {
  constructor(
    private readonly cases: CaseRepository,
    private readonly reference: CaseReferenceData,
    private readonly store: CaseStore,
  ) {}

  async execute(branch: string, filters: WorklistFilters): Promise<WorklistPage> {
    const limit = filters.limit === undefined ? 25 : Number(filters.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw invalid('limit', `an integer 1–${maxLimit}`);
    if (filters.state !== undefined && !(Object.values(CaseState) as string[]).includes(filters.state)) {
      throw invalid('state', `one of ${Object.values(CaseState).join(', ')}`);
    }
    if (filters.procedureCode !== undefined && !/^[12]\.\d{6}$/.test(filters.procedureCode)) {
      throw invalid('procedureCode', 'a national procedure code such as 1.013831');
    }
    if (filters.communeCode !== undefined && !/^\d{5}$/.test(filters.communeCode)) {
      throw invalid('communeCode', 'a 5-digit commune code');
    }
    if (filters.overdue !== undefined && filters.overdue !== 'true' && filters.overdue !== 'false') {
      throw invalid('overdue', 'true or false');
    }
    const within = filters.dueWithinWorkingDays === undefined ? undefined : Number(filters.dueWithinWorkingDays);
    if (within !== undefined && (!Number.isInteger(within) || within < 0 || within > 60)) {
      throw invalid('dueWithinWorkingDays', 'an integer 0–60');
    }
    const after = filters.cursor === undefined ? undefined : decodeCursor(filters.cursor);
    const now = this.store.clock.now();
    // The province calendar of the branch's communes; the national one serves for the bound of "due within".
    const calendar = this.reference.calendarFor(filters.communeCode ?? '');
    let dueBefore: Date | undefined;
    if (filters.overdue === 'true') dueBefore = now;
    if (within !== undefined) {
      const bound = calendar.addWorkingMinutes(
        calendar.nextWorkingInstant(now),
        within * calendar.minutesPerWorkingDay,
      );
      dueBefore = dueBefore && dueBefore < bound ? dueBefore : new Date(bound.getTime() + 1);
    }
    const cases = await this.cases.worklist({
      branchCode: branch,
      ...(filters.state ? { state: filters.state as CaseState } : {}),
      ...(filters.procedureCode ? { procedureCode: filters.procedureCode } : {}),
      ...(filters.communeCode ? { communeCode: filters.communeCode } : {}),
      ...(filters.claimedBy ? { claimedBy: filters.claimedBy } : {}),
      ...(dueBefore ? { dueBefore } : {}),
      ...(after ? { after } : {}),
      limit: limit + 1,
    });
    const page = cases.slice(0, limit);
    const last = page.at(-1);
    // The stored due date of a paused case is older than its real one: the filters are checked again on the ledger.
    const items = page
      .filter((k) => {
        const ledger = ledgerOf(k, this.reference.calendarFor(k.communeCode));
        if (filters.overdue === 'true' && !ledger.isLate(now)) return false;
        if (filters.overdue === 'false' && ledger.isLate(now)) return false;
        return true;
      })
      .map((k) => summaryView(k, this.reference.calendarFor(k.communeCode), now, this.store.names));
    return {
      items,
      ...(cases.length > limit && last ? { nextCursor: encodeCursor(last.dueAt, last.dossierCode) } : {}),
    };
  }
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`The filter ${field} is invalid.`, [{ field, code: 'INVALID', message }]);
}

export function encodeCursor(dueAt: string, dossierCode: string): string {
  return Buffer.from(JSON.stringify([dueAt, dossierCode])).toString('base64url');
}

function decodeCursor(cursor: string): { dueAt: string; dossierCode: string } {
  try {
    const [dueAt, dossierCode] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof dueAt === 'string' && typeof dossierCode === 'string' && !Number.isNaN(Date.parse(dueAt))) {
      return { dueAt, dossierCode };
    }
  } catch {
    // falls through to the 400 below
  }
  throw invalid('cursor', 'a cursor returned by a previous page');
}
