import { buildCase } from '../../../test/case-builder';
import { CaseState } from './case';
import { type Branch, BranchDirectory, checkMove, moveCase, routeByLand } from './case-routing';

const branches: Branch[] = [
  { code: 'KH-DIENKHANH', name: 'Chi nhánh Diên Khánh', provinceCode: '56' },
  { code: 'KH-VANNINH', name: 'Chi nhánh Vạn Ninh', provinceCode: '56' },
  { code: 'QNG-DUCPHO', name: 'Chi nhánh Đức Phổ', provinceCode: '51' },
];
const communes: Record<string, string> = {
  '22651': 'KH-DIENKHANH',
  '22657': 'KH-DIENKHANH',
  '22525': 'KH-VANNINH',
  '21439': 'QNG-DUCPHO',
};
const directory = new (class extends BranchDirectory {
  override branchOfCommune(commune: string) {
    return branches.find((b) => b.code === communes[commune]);
  }
  override branch(code: string) {
    return branches.find((b) => b.code === code);
  }
})();

describe('routeByLand', () => {
  it("gives the branch of the land's commune, not of the unit that received the dossier", () => {
    expect(routeByLand(['22525'], directory)).toEqual({
      branchCode: 'KH-VANNINH',
      otherBranchCodes: [],
      unservedCommunes: [],
    });
  });

  it('takes the first parcel in dossier order and lists the other branches once (a multi-branch case)', () => {
    expect(routeByLand(['22657', '22525', '22651', '22525'], directory)).toEqual({
      branchCode: 'KH-DIENKHANH',
      otherBranchCodes: ['KH-VANNINH'],
      unservedCommunes: [],
    });
    expect(routeByLand(['22525', '22657'], directory).branchCode).toBe('KH-VANNINH');
  });

  it('skips communes no branch serves, lists them, and leaves the case unassigned when none is served', () => {
    expect(routeByLand(['26734', '22525'], directory)).toEqual({
      branchCode: 'KH-VANNINH',
      otherBranchCodes: [],
      unservedCommunes: ['26734'],
    });
    expect(routeByLand(['26734', '26734'], directory)).toEqual({ otherBranchCodes: [], unservedCommunes: ['26734'] });
  });
});

describe('checkMove', () => {
  const from = branches[0]!;
  const check = (toCode: string, reason: string | undefined, open = true) =>
    checkMove({ from, toCode, reason, open, directory });

  it('accepts another branch of the same province with a reason', () => {
    expect(check('KH-VANNINH', 'đất ở Vạn Hưng')).toEqual({ ok: true, to: branches[1] });
  });

  it.each([
    ['no reason', 'KH-VANNINH', undefined, true, 'REASON_REQUIRED'],
    ['a blank reason', 'KH-VANNINH', '   ', true, 'REASON_REQUIRED'],
    ['an unknown branch', 'KH-NOWHERE', 'x', true, 'UNKNOWN_BRANCH'],
    ['a branch of another province', 'QNG-DUCPHO', 'x', true, 'OTHER_PROVINCE'],
    ['the same branch', 'KH-DIENKHANH', 'x', true, 'SAME_BRANCH'],
    ['a closed case', 'KH-VANNINH', 'x', false, 'CASE_CLOSED'],
  ])('refuses %s', (_name, to, reason, open, code) => {
    expect(check(to, reason, open)).toMatchObject({ ok: false, refusal: { code } });
  });
});

describe('moveCase', () => {
  const now = new Date('2026-11-24T03:00:00.000Z');
  const kase = {
    ...buildCase({ state: CaseState.InReview }),
    claim: { userId: 'officer-1', until: '2026-11-24T05:00:00.000Z' },
  };
  const outcome = moveCase(
    kase,
    { from: 'KH-DIENKHANH', to: 'KH-VANNINH', reason: '  đất ở Vạn Hưng ' },
    { userId: 'supervisor-1', branch: 'KH-DIENKHANH' },
    now,
  );

  it('changes the branch and drops the claim, keeping state and clock', () => {
    expect(outcome.kase.branchCode).toBe('KH-VANNINH');
    expect(outcome.kase).not.toHaveProperty('claim');
    expect(outcome.kase.state).toBe(CaseState.InReview);
    expect(outcome.kase.clock).toEqual(kase.clock);
    expect(outcome.kase.dueAt).toBe(kase.dueAt);
    expect(outcome.kase.history.at(-1)).toEqual({
      state: CaseState.InReview,
      at: now.toISOString(),
      by: 'supervisor-1',
      action: 'MOVE',
      note: 'KH-DIENKHANH → KH-VANNINH: đất ở Vạn Hưng',
    });
  });

  it('audits who moved it, from where to where and why, and announces case.moved', () => {
    expect(outcome.audit).toEqual([
      {
        at: now.toISOString(),
        actor: 'supervisor-1',
        branch: 'KH-DIENKHANH',
        kind: 'MOVE',
        what: 'MOVE KH-DIENKHANH → KH-VANNINH',
        fromState: CaseState.InReview,
        toState: CaseState.InReview,
        reason: 'đất ở Vạn Hưng',
      },
    ]);
    expect(outcome.events).toEqual([
      {
        type: 'case.moved',
        data: {
          dossierCode: kase.dossierCode,
          procedureCode: kase.procedureCode,
          communeCode: kase.communeCode,
          fromBranchCode: 'KH-DIENKHANH',
          branchCode: 'KH-VANNINH',
          at: now.toISOString(),
          actor: { unitCode: 'KH-DIENKHANH', userId: 'supervisor-1' },
          reason: 'đất ở Vạn Hưng',
        },
      },
    ]);
  });
});
