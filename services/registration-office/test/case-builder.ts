import path from 'node:path';
import { loadReferenceData, ClockLedger, type WorkingCalendar } from '@lienthong/statutory-clock';
import { sealAuditEntry } from '../src/case/domain/audit-chain';
import { CaseState, type Case } from '../src/case/domain/case';
import { ReferenceDataNames } from '../src/case/infrastructure/reference-data/reference-data-names';
import { ReferenceDataRules } from '../src/case/infrastructure/reference-data/reference-data-rules';

const loaded = loadReferenceData(path.resolve(__dirname, '../../..'));
/** The real reference data of the repository (catalogue, calendars), as the service loads it. */
export const referenceData = new ReferenceDataRules(loaded);
/** The names next to codes (catalogue, admin units, province files), as the service shows them. */
export const caseNames = new ReferenceDataNames(loaded);
/** Khánh Hòa's calendar (commune 22657 Diên Điền). */
export const calendar: WorkingCalendar = referenceData.calendarFor('22657');

/** A case as ReceiveCaseHandler opens it, for a procedure of the catalogue (TRANSFER 1.013831 by default). */
export function buildCase(overrides: Partial<Case> & { procedureCode?: string; caseCode?: string } = {}): Case {
  const procedureCode = overrides.procedureCode ?? '1.013831';
  const receivedAt = overrides.receivedAt ?? '2026-11-23T01:00:00.000Z'; // Monday 08:00 in Vietnam
  const communeCode = overrides.communeCode ?? '22657';
  const rules = referenceData.rulesFor({
    procedureCode,
    caseCode: overrides.caseCode ?? (procedureCode === '1.013831' ? 'TRANSFER' : undefined),
    communeCode,
    receivedAt: new Date(receivedAt),
  });
  const ledger = ClockLedger.start({ receivedAt: new Date(receivedAt), timeLimit: rules.timeLimit, calendar });
  const dossierCode = overrides.dossierCode ?? '000.00.56.H42-261123-0001';
  return {
    dossierCode,
    procedureCode,
    communeCode,
    branchCode: 'KH-DIENKHANH',
    receivedAt,
    arrivedAt: receivedAt,
    state: CaseState.Received,
    steps: { publicPosting: rules.publicPosting, financialObligation: rules.financialObligation },
    progress: { supplementRequests: 0 },
    clock: ledger.toSnapshot(),
    dueAt: ledger.dueAt(new Date(receivedAt)).toISOString(),
    paused: false,
    open: true,
    persons: [
      {
        role: 'APPLICANT',
        fullName: 'Nguyễn Văn An',
        maskedPersonalId: '0560******34',
        dateOfBirth: '1980-01-01',
        gender: 'MALE',
      },
      {
        role: 'TRANSFEREE',
        fullName: 'Trần Thị Bình',
        maskedPersonalId: '0790******90',
        dateOfBirth: '1985-05-05',
        gender: 'FEMALE',
      },
    ],
    parcels: [{ communeCode, mapSheetNumber: '12', parcelNumber: '345', areaM2: 120, landUseCode: 'ONT' }],
    documents: [],
    history: [{ state: CaseState.Received, at: receivedAt, by: 'registration-office' }],
    alerts: {},
    appliedKeys: [],
    audit: [
      sealAuditEntry(undefined, {
        at: receivedAt,
        actor: 'registration-office',
        kind: 'RECEIVED',
        what: 'dossier.submitted',
        toState: CaseState.Received,
      }),
    ],
    version: 1,
    intakeSequence: 1,
    matchSequence: 0,
    ...overrides,
  };
}
