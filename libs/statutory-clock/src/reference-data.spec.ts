import path from 'node:path';
import { dueDate } from './due-date';
import { toVietnamIso } from './local-time';
import { loadReferenceData } from './reference-data';

const data = loadReferenceData(path.resolve(__dirname, '../../..'));

describe('loadReferenceData', () => {
  it('reads 34 provinces and 3,321 communes, each in a known province', () => {
    expect(data.adminUnits.provinces).toHaveLength(34);
    expect(data.adminUnits.communes).toHaveLength(3321);
    expect(data.adminUnits.communes.find((c) => c.code === '22657')).toMatchObject({
      name: 'Diên Điền',
      provinceCode: '56',
      type: 'COMMUNE',
    });
    expect(data.adminUnits.provinces.find((p) => p.code === '79')?.name).toBe('Hồ Chí Minh');
  });

  it('reads the land-use codes, marked partial', () => {
    const codes = data.landUseCodes.codes.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['ONT', 'ODT', 'LUC', 'CLN', 'CNT', 'BCS']));
    expect(data.landUseCodes.completeness.complete).toBe(false);
    expect(data.landUseCodes.codes.find((c) => c.code === 'BHK')?.legacy).toBe(true);
  });

  it('reads the 63 pre-2025 birth-registration prefixes', () => {
    const prefixes = data.legacyIdPrefixes.provincePrefixes;
    expect(prefixes).toHaveLength(63);
    expect(prefixes.find((p) => p.prefix === '001')?.name).toBe('Thành phố Hà Nội');
    expect(prefixes.find((p) => p.prefix === '079')?.name).toBe('Thành phố Hồ Chí Minh');
    expect(prefixes.find((p) => p.prefix === '056')?.name).toBe('Tỉnh Khánh Hòa');
    expect(data.legacyIdPrefixes.countryPrefixRange).toEqual({ from: '101', to: '295' });
  });

  it('ties catalogue and calendar together: the intake example gets its legal due date', () => {
    const receivedAt = new Date('2026-11-23T08:15:00+07:00');
    const resolved = data.catalogue.resolve({ procedureCode: '1.013831', caseCode: 'TRANSFER', receivedAt });
    const calendar = data.calendar.forProvince('56');
    expect(toVietnamIso(dueDate(receivedAt, resolved.timeLimit, { calendar }))).toBe('2026-12-03T08:15:00+07:00');
  });
});
