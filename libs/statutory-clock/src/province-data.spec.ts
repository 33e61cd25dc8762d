import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReferenceDataError } from './errors';
import { loadProvinceDeployments, ProvinceDeployments } from './province-data';
import { loadReferenceData } from './reference-data';

const root = path.resolve(__dirname, '../../..');
const data = loadReferenceData(root);

const adminUnits = {
  provinces: [{ code: '56' }, { code: '51' }],
  communes: [
    { code: '22651', provinceCode: '56' },
    { code: '22657', provinceCode: '56' },
    { code: '22525', provinceCode: '56' },
    { code: '21439', provinceCode: '51' },
  ],
};

function khanhHoa(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'province-deployment',
    version: 1,
    provinceCode: '56',
    remoteCommunes: { assumption: 'none known', codes: [] },
    branches: [
      { code: 'KH-DIENKHANH', name: 'Diên Khánh', communes: ['22651', '22657'] },
      { code: 'KH-VANNINH', name: 'Vạn Ninh', communes: ['22525'] },
    ],
    ...overrides,
  };
}

function problemsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ReferenceDataError) return error.problems;
    throw error;
  }
  throw new Error('expected a ReferenceDataError');
}

describe('province deployment files', () => {
  it('ships the development branches of office-api.md, each commune in its province', () => {
    const provinces = data.provinces;
    expect(provinces.provinces.map((p) => p.provinceCode).sort()).toEqual(['44', '51', '56']);
    expect(provinces.branchOfCommune('22657')?.code).toBe('KH-DIENKHANH');
    expect(provinces.branchOfCommune('22651')?.code).toBe('KH-DIENKHANH');
    expect(provinces.branchOfCommune('22525')).toMatchObject({ code: 'KH-VANNINH', provinceCode: '56' });
    expect(['21439', '21451', '21457', '21478'].map((c) => provinces.branchOfCommune(c)?.code)).toEqual(
      Array(4).fill('QNG-DUCPHO'),
    );
    expect(provinces.branchOfCommune('19111')?.code).toBe('QT-HOANLAO');
    expect(provinces.branch('KH-VANNINH')?.name).toBe('Chi nhánh Văn phòng đăng ký đất đai Vạn Ninh');
    for (const branch of provinces.branches) {
      for (const commune of branch.communes) {
        expect(data.adminUnits.communes.find((c) => c.code === commune)?.provinceCode).toBe(branch.provinceCode);
      }
    }
  });

  it('answers nothing for a commune no branch serves and for an unknown branch', () => {
    expect(data.provinces.branchOfCommune('26734')).toBeUndefined();
    expect(data.provinces.branch('XX-NONE')).toBeUndefined();
  });

  it('keeps office hours per province, absent when the province keeps the national ones', () => {
    const provinces = ProvinceDeployments.fromFiles(
      [
        {
          file: '56.v1.json',
          json: khanhHoa({ officeHours: { periods: [{ start: '07:30', end: '11:30' }] } }),
        },
        {
          file: '51.v1.json',
          json: {
            ...khanhHoa(),
            provinceCode: '51',
            branches: [],
            remoteCommunes: { assumption: 'x', codes: ['21439'] },
          },
        },
      ],
      adminUnits,
    );
    expect(provinces.officeHoursOf('56')).toEqual([{ start: '07:30', end: '11:30' }]);
    expect(provinces.officeHoursOf('51')).toBeUndefined();
    expect(provinces.isRemoteCommune('21439')).toBe(true);
    expect(provinces.isRemoteCommune('22651')).toBe(false);
  });

  it('lists every problem of every file in one error', () => {
    const problems = problemsOf(() =>
      ProvinceDeployments.fromFiles(
        [
          {
            file: '56.v1.json',
            json: khanhHoa({
              officeHours: { periods: [{ start: '13:00', end: '12:00' }] },
              remoteCommunes: { assumption: 'x', codes: ['21439'] },
              branches: [
                { code: 'KH-DIENKHANH', name: 'a', communes: ['22651', '21439', '99999'] },
                { code: 'KH-DIENKHANH', name: 'b', communes: ['22651'] },
              ],
            }),
          },
          { file: '51.v1.json', json: khanhHoa({ branches: [{ code: 'KH-DIENKHANH', name: 'c', communes: [] }] }) },
        ],
        adminUnits,
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        '56.v1.json $.officeHours.periods: office period 13:00–12:00 is empty or overlaps the previous one',
        '56.v1.json $.remoteCommunes.codes[0]: commune 21439 is in province 51, not 56',
        '56.v1.json $.branches[0].communes[1]: commune 21439 is in province 51, not 56',
        '56.v1.json $.branches[0].communes[2]: unknown commune 99999',
        '56.v1.json $.branches[1].code: duplicate branch KH-DIENKHANH',
        '56.v1.json $.branches[1].communes[0]: commune 22651 is already served by KH-DIENKHANH',
        '51.v1.json $.provinceCode: the file must be named 56.v1.json',
        '51.v1.json $.provinceCode: province 56 is also deployed by 56.v1.json',
        expect.stringMatching(/^51\.v1\.json \$\.branches\[0\]\.code: branch KH-DIENKHANH is also defined in 56/),
      ]),
    );
  });

  it('requires the kind, the remote-commune assumption and the branches', () => {
    const problems = problemsOf(() =>
      ProvinceDeployments.fromFiles(
        [{ file: '56.v1.json', json: { kind: 'calendar', version: 1, provinceCode: '56', remoteCommunes: {} } }],
        adminUnits,
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        '56.v1.json $.kind: expected "province-deployment"',
        '56.v1.json $.remoteCommunes.assumption: expected a string',
        '56.v1.json $.remoteCommunes.codes: expected an array',
        '56.v1.json $.branches: expected an array',
      ]),
    );
  });

  describe('from a folder', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'provinces-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the province files of another folder through loadReferenceData', () => {
      writeFileSync(
        path.join(dir, '56.v1.json'),
        JSON.stringify(khanhHoa({ branches: [{ code: 'KH-ALL', name: 'all', communes: ['22651', '22525'] }] })),
      );
      writeFileSync(path.join(dir, 'README.md'), 'not data');
      const provinces = loadReferenceData(root, { provincesDir: dir }).provinces;
      expect(provinces.branchOfCommune('22525')?.code).toBe('KH-ALL');
      expect(provinces.branchOfCommune('21439')).toBeUndefined();
    });

    it('refuses an empty folder, a missing one and a file that is not JSON', () => {
      expect(problemsOf(() => loadProvinceDeployments(dir, adminUnits))).toEqual(['no <provinceCode>.v1.json file']);
      expect(problemsOf(() => loadProvinceDeployments(path.join(dir, 'missing'), adminUnits))[0]).toMatch(
        /cannot read the province folder/,
      );
      writeFileSync(path.join(dir, '56.v1.json'), '{');
      expect(problemsOf(() => loadProvinceDeployments(dir, adminUnits))[0]).toMatch(/^not JSON/);
    });
  });
});
