import { ForbiddenException } from '@nestjs/common';
import { NotFoundError } from '@lienthong/kernel';
import { actionInputs, caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { CASE_ACTIONS, type WorkerRole } from '../../domain/case-workflow';
import { ClaimCaseHandler } from '../claim-case/claim-case.handler';
import { TransitionCaseHandler } from './transition-case.handler';

// Written out by hand (issue 5 §6): which roles may do each action. The handler must answer 403 to every other role,
// 404 to every role of another branch, and act for the allowed roles of the case's branch.
const allowed: Record<string, WorkerRole[]> = {
  START_REVIEW: ['officer'],
  REQUEST_SUPPLEMENT: ['officer'],
  START_FIELD_CHECK: ['officer'],
  END_FIELD_CHECK: ['officer'],
  START_POSTING: ['officer'],
  END_POSTING: ['officer'],
  SEND_TO_TAX: ['officer'],
  RECORD_OBLIGATION_MET: ['officer'],
  APPROVE: ['approver'],
  ISSUE_CERTIFICATE: ['officer'],
  RETURN_RESULT: ['officer'],
  REJECT: ['approver'],
  STOP: ['approver', 'supervisor'],
  OVERRIDE_MATCH: ['officer'],
  ISSUE_APOLOGY: ['officer'],
};
const roles: WorkerRole[] = ['officer', 'approver', 'supervisor'];
const branches = { own: 'KH-DIENKHANH', other: 'QNG-DUCPHO' } as const;

describe('role matrix: every action × role × own/other branch', () => {
  let n = 0;
  for (const action of CASE_ACTIONS) {
    for (const role of roles) {
      for (const where of ['own', 'other'] as const) {
        const ok = where === 'own' && allowed[action]!.includes(role);
        const expected = where === 'other' ? '404' : ok ? 'acts' : '403';
        it(`${action} × ${role} × ${where} branch → ${expected}`, async () => {
          const { repository, store } = testStore();
          const code = `000.00.56.H42-261123-${String(++n).padStart(4, '0')}`;
          const userId = `${role}-1`;
          // The worker holds the claim, so that only the role and the branch decide.
          const kase = { ...caseReadyFor(action, code), claim: { userId, until: '2026-11-24T06:00:00.000Z' } };
          await repository.createIfAbsent(kase, []);
          const handler = new TransitionCaseHandler(store);
          const run = handler.execute({
            dossierCode: code,
            idempotencyKey: `k-${n}`,
            action,
            ...actionInputs[action],
            worker: { userId, branch: branches[where], roles: [role] },
          });
          if (expected === '404') await expect(run).rejects.toBeInstanceOf(NotFoundError);
          else if (expected === '403') await expect(run).rejects.toBeInstanceOf(ForbiddenException);
          else {
            const { view } = await run;
            expect(view.version).toBeGreaterThan(kase.version);
          }
          if (expected !== 'acts') expect((await repository.findByCode(code))!.version).toBe(kase.version);
        });
      }
    }
  }
});

describe('claims × role × own/other branch', () => {
  const expectations: Record<'claim' | 'release' | 'assign', WorkerRole[]> = {
    claim: ['officer', 'approver'],
    release: ['officer', 'approver', 'supervisor'],
    assign: ['supervisor'],
  };
  let n = 0;
  for (const verb of ['claim', 'release', 'assign'] as const) {
    for (const role of roles) {
      for (const where of ['own', 'other'] as const) {
        const expected = where === 'other' ? '404' : expectations[verb].includes(role) ? 'acts' : '403';
        it(`${verb} × ${role} × ${where} branch → ${expected}`, async () => {
          const { repository, store } = testStore();
          const code = `000.00.56.H42-261124-${String(++n).padStart(4, '0')}`;
          const userId = `${role}-1`;
          const kase = caseReadyFor('START_REVIEW', code);
          // To release, the caller (or, for a supervisor, someone else) holds the claim.
          if (verb === 'release')
            kase.claim = { userId: role === 'supervisor' ? 'officer-9' : userId, until: '2026-11-24T06:00:00.000Z' };
          await repository.createIfAbsent(kase, []);
          const handler = new ClaimCaseHandler(store, 60);
          const worker = { userId, branch: branches[where], roles: [role] };
          const run =
            verb === 'claim'
              ? handler.claim(code, worker)
              : verb === 'release'
                ? handler.release(code, worker)
                : handler.assign(code, 'officer-7', worker);
          if (expected === '404') await expect(run).rejects.toBeInstanceOf(NotFoundError);
          else if (expected === '403') await expect(run).rejects.toBeInstanceOf(ForbiddenException);
          else {
            const view = await run;
            if (verb === 'claim') expect(view.claim?.userId).toBe(userId);
            if (verb === 'assign') expect(view.claim?.userId).toBe('officer-7');
            if (verb === 'release') expect(view.claim).toBeUndefined();
          }
        });
      }
    }
  }
});
