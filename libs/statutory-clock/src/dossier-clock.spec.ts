import path from 'node:path';
import { DossierClockRules } from './dossier-clock';
import { toVietnamIso } from './local-time';
import { ProvinceDeployments } from './province-data';
import { loadReferenceData } from './reference-data';

const data = loadReferenceData(path.resolve(__dirname, '../../..'));
const rules = new DossierClockRules(data);
const transfer = (query: { parcelCommuneCodes?: string[]; receivingUnitCode?: string; receivedAt?: string }) =>
  rules.start({
    procedureCode: '1.013831',
    caseCode: 'TRANSFER',
    receivingUnitCode: query.receivingUnitCode ?? '22657',
    parcelCommuneCodes: query.parcelCommuneCodes,
    receivedAt: new Date(query.receivedAt ?? '2026-11-23T08:15:00+07:00'),
  });

describe('DossierClockRules (the rules intake and the LRO share)', () => {
  it('gives the remote limit when the land lies in a commune the province file lists as remote', () => {
    const normal = transfer({ parcelCommuneCodes: ['22657'] });
    expect(normal).toMatchObject({ remote: false, timeLimit: { unit: 'WORKING_DAY', amount: 8 }, provinceCode: '56' });
    expect(toVietnamIso(normal.dueAt)).toBe('2026-12-03T08:15:00+07:00');
    const remote = transfer({ parcelCommuneCodes: ['22657', '22609'] });
    expect(remote).toMatchObject({ remote: true, timeLimit: { unit: 'WORKING_DAY', amount: 18 } });
    expect(toVietnamIso(remote.dueAt)).toBe('2026-12-17T08:15:00+07:00');
    expect(remote.procedureVersion).toBe('2025-07-01');
  });

  it('the land decides, not the desk; without parcels the receiving commune does', () => {
    expect(transfer({ receivingUnitCode: '22609', parcelCommuneCodes: ['22657'] }).remote).toBe(false);
    expect(transfer({ receivingUnitCode: '22609', parcelCommuneCodes: [] }).remote).toBe(true);
  });

  it("counts in the province's own office hours from its deployment file", () => {
    const provinces = ProvinceDeployments.fromFiles(
      [
        {
          file: '56.v1.json',
          json: {
            kind: 'province-deployment',
            version: 1,
            provinceCode: '56',
            officeHours: {
              periods: [
                { start: '07:30', end: '11:30' },
                { start: '13:00', end: '17:00' },
              ],
            },
            remoteCommunes: { assumption: 'test', codes: [] },
            branches: [],
          },
        },
      ],
      data.adminUnits,
    );
    const own = new DossierClockRules({ ...data, provinces });
    const calendar = own.calendarFor('22657');
    // Received at 07:15 Monday: counting starts at 07:30, not 07:00, and lunch ends at 13:00.
    expect(calendar.nextWorkingInstant(new Date('2026-11-23T07:15:00+07:00')).toISOString()).toBe(
      new Date('2026-11-23T07:30:00+07:00').toISOString(),
    );
    expect(calendar.nextWorkingInstant(new Date('2026-11-23T12:00:00+07:00')).toISOString()).toBe(
      new Date('2026-11-23T13:00:00+07:00').toISOString(),
    );
    expect(own.calendarFor('22657')).toBe(calendar); // built once per province
    const due = own.start({
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: '22657',
      receivedAt: new Date('2026-11-23T07:15:00+07:00'),
    }).dueAt;
    // Eight full working days from Monday's opening end at the close of the eighth, Wednesday 2 Dec.
    expect(toVietnamIso(due)).toBe('2026-12-02T17:00:00+07:00');
  });
});
