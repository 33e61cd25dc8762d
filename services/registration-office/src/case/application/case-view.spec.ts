import { buildCase, calendar, caseNames } from '../../../test/case-builder';
import { caseView, summaryView } from './case-view';

const now = new Date('2026-11-24T02:00:00.000Z');
const officer = { userId: 'officer-1', roles: ['officer' as const] };

describe('the case view: names next to codes', () => {
  const kase = buildCase({
    caseCode: 'TRANSFER',
    communeCode: '22657',
    branchCode: 'KH-VANNINH',
    otherBranchCodes: ['KH-DIENKHANH'],
    parcels: [{ communeCode: '22525', mapSheetNumber: '3', parcelNumber: '7', areaM2: 80, landUseCode: 'ONT' }],
  });
  kase.persons[1]!.verdict = 'NEEDS_REVIEW';
  const view = caseView(kase, calendar, now, officer, caseNames);

  it('names the procedure and its case from the catalogue version in force at receipt, keeping the codes', () => {
    expect(view.procedureCode).toBe('1.013831');
    expect(view.caseCode).toBe('TRANSFER');
    expect(view.procedure).toMatchObject({
      code: '1.013831',
      name: { vi: expect.stringMatching(/chuyển nhượng/i), en: expect.stringMatching(/transfer/i) },
      case: { code: 'TRANSFER', name: { vi: expect.any(String), en: expect.any(String) } },
    });
  });

  it('names the receiving commune, the land commune of each parcel, their province and the branches', () => {
    expect(view.communeCode).toBe('22657');
    expect(view.commune).toEqual({
      code: '22657',
      name: 'Diên Điền',
      fullName: 'Xã Diên Điền',
      provinceCode: '56',
      provinceName: 'Khánh Hoà',
    });
    expect(view.parcels[0]).toMatchObject({ communeCode: '22525', commune: { name: 'Vạn Hưng', provinceCode: '56' } });
    expect(view.branch).toEqual({ code: 'KH-VANNINH', name: 'Chi nhánh Văn phòng đăng ký đất đai Vạn Ninh' });
    expect(view.multiBranch).toBe(true);
    expect(view.otherBranches).toEqual([
      { code: 'KH-DIENKHANH', name: 'Chi nhánh Văn phòng đăng ký đất đai Diên Khánh' },
    ]);
  });

  it('labels the state, the roles and the verdicts in Vietnamese and English', () => {
    expect(view.stateLabel).toEqual({ vi: 'Đã tiếp nhận', en: 'Received' });
    expect(view.persons[0]).toMatchObject({
      role: 'APPLICANT',
      roleLabel: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
    });
    expect(view.persons[0]).not.toHaveProperty('verdictLabel');
    expect(view.persons[1]).toMatchObject({
      role: 'TRANSFEREE',
      roleLabel: { vi: 'Bên nhận chuyển nhượng', en: 'Transferee' },
      verdict: 'NEEDS_REVIEW',
      verdictLabel: { vi: 'Cần cán bộ xem xét', en: 'Needs an officer’s review' },
    });
  });

  it('gives the worklist item the same names, and only codes and labels without the reference data', () => {
    expect(summaryView(kase, calendar, now, caseNames)).toMatchObject({
      procedure: { code: '1.013831' },
      commune: { name: 'Diên Điền', provinceName: 'Khánh Hoà' },
      branch: { code: 'KH-VANNINH' },
      stateLabel: { en: 'Received' },
    });
    const bare = caseView(kase, calendar, now, officer);
    expect(bare).not.toHaveProperty('procedure');
    expect(bare).not.toHaveProperty('commune');
    expect(bare.otherBranches).toEqual([{ code: 'KH-DIENKHANH', name: 'KH-DIENKHANH' }]);
    expect(bare.persons[1]!.roleLabel?.en).toBe('Transferee');
  });

  it('shows a code the reference data does not know without a name', () => {
    const unknown = caseView(
      buildCase({ branchCode: 'XX-GONE', parcels: [{ ...kase.parcels[0]!, communeCode: '99999' }] }),
      calendar,
      now,
      officer,
      caseNames,
    );
    expect(unknown).not.toHaveProperty('branch');
    expect(unknown.parcels[0]).not.toHaveProperty('commune');
    expect(unknown.multiBranch).toBe(false);
  });
});
