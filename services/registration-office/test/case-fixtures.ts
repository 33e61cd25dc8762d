import { FixedClock } from '@lienthong/kernel';
import type { OutboxRelay } from '@lienthong/messaging';
import { CaseStore } from '../src/case/application/case-store';
import { appendAudit } from '../src/case/domain/audit-chain';
import { CaseState, type Case } from '../src/case/domain/case';
import { applyAction, type ActionRequest } from '../src/case/domain/case-workflow';
import { buildCase, calendar, caseNames, referenceData } from './case-builder';
import { InMemoryCaseRepository } from './in-memory-case.repository';

/** What each action needs, so that a test of roles or states is not refused for missing input. */
export const actionInputs: Record<string, Omit<ActionRequest, 'action'>> = {
  REQUEST_SUPPLEMENT: { reason: 'Thiếu hợp đồng', details: { missingDocuments: [{ name: 'Hợp đồng chuyển nhượng' }] } },
  SEND_TO_TAX: { details: { taxAuthorityCode: 'CCT-KH-01' } },
  RECORD_OBLIGATION_MET: { details: { taxNoticeNumber: 'TB-1', amount: 1_000_000 } },
  ISSUE_CERTIFICATE: { details: { certificateSerial: 'AA 01234567' } },
  REJECT: { reason: 'Đất đang tranh chấp' },
  STOP: { reason: 'Có quyết định tạm dừng' },
  OVERRIDE_MATCH: { reason: 'Đã đối chiếu bản chính CCCD', details: { person: 1 } },
  ISSUE_APOLOGY: { reason: 'Chờ kết quả đo đạc bổ sung', details: { newDueAt: '2026-12-10' } },
};

const system = { userId: 'test', roles: [] };

/** A case (TRANSFER, or first registration with posting) walked along `path` from RECEIVED. */
export function caseAfter(path: ActionRequest['action'][], overrides: Partial<Case> = {}): Case {
  let kase = buildCase(overrides);
  let t = Date.parse('2026-11-23T02:00:00.000Z');
  for (const action of path) {
    t += 10 * 60_000;
    const outcome = applyAction(kase, { action, ...actionInputs[action] }, system, new Date(t), calendar);
    kase = { ...outcome.kase, audit: [...kase.audit, ...appendAudit(kase.audit, outcome.audit)] };
  }
  return kase;
}

/** A case in a state where `action` is allowed (for the role matrix). */
export function caseReadyFor(action: string, dossierCode: string): Case {
  const posting = { procedureCode: '1.013978', caseCode: 'REGISTRATION_WITH_CERTIFICATE', dossierCode };
  const transfer = { dossierCode };
  const review: ActionRequest['action'][] = ['ASSIGN', 'START_REVIEW'];
  switch (action) {
    case 'START_REVIEW':
      return caseAfter(['ASSIGN'], transfer);
    case 'END_FIELD_CHECK':
      return caseAfter([...review, 'START_FIELD_CHECK'], transfer);
    case 'START_POSTING':
      return caseAfter(review, posting);
    case 'END_POSTING':
      return caseAfter([...review, 'START_POSTING'], posting);
    case 'RECORD_OBLIGATION_MET':
      return caseAfter([...review, 'SEND_TO_TAX'], transfer);
    case 'APPROVE':
      return caseAfter([...review, 'SEND_TO_TAX', 'RECORD_OBLIGATION_MET'], transfer);
    case 'ISSUE_CERTIFICATE':
      return caseAfter([...review, 'SEND_TO_TAX', 'RECORD_OBLIGATION_MET', 'APPROVE'], transfer);
    case 'RETURN_RESULT':
      return caseAfter([...review, 'SEND_TO_TAX', 'RECORD_OBLIGATION_MET', 'APPROVE', 'ISSUE_CERTIFICATE'], transfer);
    case 'ISSUE_APOLOGY':
      // Offered from the due-soon alert on: the clock watch's marker, as it sets it.
      return { ...caseAfter(review, transfer), alerts: { dueSoonFor: '2026-12-03T01:00:00.000Z' } };
    case 'OVERRIDE_MATCH': {
      const kase = caseAfter(review, transfer);
      kase.persons[1]!.verdict = 'MISMATCH';
      return kase;
    }
    default:
      return caseAfter(review, transfer);
  }
}

/** A CaseStore over an in-memory repository, a fixed clock and a relay that publishes nothing. */
export function testStore(now = '2026-11-24T02:00:00.000Z') {
  const repository = new InMemoryCaseRepository();
  const clock = new FixedClock(new Date(now));
  const relay = { relay: () => Promise.resolve(0) } as unknown as OutboxRelay;
  const store = new CaseStore(repository, referenceData, clock, relay, caseNames);
  return { repository, clock, store };
}

export { CaseState };
