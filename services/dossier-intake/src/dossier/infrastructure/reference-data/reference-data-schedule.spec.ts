import path from 'node:path';
import { ValidationError } from '@lienthong/kernel';
import { ClockLedger, loadReferenceData, PauseReason } from '@lienthong/statutory-clock';
import { receiveDossier } from '../../domain/dossier';
import { ReferenceDataSchedule } from './reference-data-schedule';

// The due dates dossier-intake gives, from the real catalogue and the Khánh Hòa (56) working calendar: the cases
// issue 4 names. The counting itself is tested in libs/statutory-clock; here the intake's choice of limit (case,
// remote commune, province) and the dates it answers with.
const data = loadReferenceData(path.resolve(__dirname, '../../../../../..'));
const schedule = new ReferenceDataSchedule(data);

const dueAt = (receivedAt: string, procedureCode: string, caseCode?: string, s = schedule) =>
  s.assess({ procedureCode, caseCode, communeCode: '22657', receivedAt: new Date(receivedAt) }).dueAt;

describe('ReferenceDataSchedule (legal due dates at intake)', () => {
  it('a transfer received Friday 13 Feb 2026 at 16:00 is due after the Tết break: Wed 4 Mar 16:00', () => {
    expect(dueAt('2026-02-13T16:00:00+07:00', '1.013831', 'TRANSFER')).toBe('2026-03-04T16:00:00+07:00');
  });

  it('a transfer spanning the make-up Saturday 22 Aug 2026 counts it and skips the National Day break', () => {
    expect(dueAt('2026-08-20T10:00:00+07:00', '1.013831', 'TRANSFER')).toBe('2026-09-03T10:00:00+07:00');
  });

  it('a mortgage received at 15:30 is due at the close of the next working day; by 15:00, the same day', () => {
    expect(dueAt('2026-11-23T15:30:00+07:00', '1.011441')).toBe('2026-11-24T17:00:00+07:00');
    expect(dueAt('2026-11-23T14:30:00+07:00', '1.011441')).toBe('2026-11-23T17:00:00+07:00');
  });

  it("land in a commune the province's file lists as remote (Khánh Vĩnh 22609) gets +10 working days", () => {
    const assess = (parcelCommuneCodes: string[]) =>
      schedule.assess({
        procedureCode: '1.013831',
        caseCode: 'TRANSFER',
        communeCode: '22657',
        parcelCommuneCodes,
        receivedAt: new Date('2026-11-23T08:15:00+07:00'),
      });
    expect(data.provinces.isRemoteCommune('22609')).toBe(true);
    expect(assess(['22657'])).toEqual({
      dueAt: '2026-12-03T08:15:00+07:00',
      timeLimit: { unit: 'WORKING_DAY', amount: 8 },
      remote: false,
      procedureVersion: '2025-07-01',
      provinceCode: '56',
    });
    expect(assess(['22657', '22609'])).toEqual({
      dueAt: '2026-12-17T08:15:00+07:00',
      timeLimit: { unit: 'WORKING_DAY', amount: 18 },
      remote: true,
      procedureVersion: '2025-07-01',
      provinceCode: '56',
    });
  });

  it('dossier.submitted carries the clock computed once, which the LRO starts from (ADR 0009)', () => {
    const receivedAt = '2026-11-23T08:15:00+07:00';
    const person = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' };
    const parcels = [{ communeCode: '22609', mapSheetNumber: '1', parcelNumber: '2', areaM2: 100, landUseCode: 'ONT' }];
    const assessment = schedule.assess({
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      communeCode: '22657',
      parcelCommuneCodes: parcels.map((p) => p.communeCode),
      receivedAt: new Date(receivedAt),
    });
    const { dossier, events } = receiveDossier(
      {
        procedureCode: '1.013831',
        caseCode: 'TRANSFER',
        receivingUnitCode: '22657',
        channel: 'DIRECT',
        receivedAt,
        externalReference: { system: 's', id: '1' },
        applicant: { ...person, gender: 'MALE' },
        parties: [],
        parcels,
      },
      'D-1',
      'one-stop',
      new Date(receivedAt),
      assessment,
    );
    expect(dossier).toMatchObject({ dueAt: '2026-12-17T08:15:00+07:00', remote: true, procedureVersion: '2025-07-01' });
    expect(events[0]!.data).toMatchObject({
      clock: {
        dueAt: '2026-12-17T08:15:00+07:00',
        timeLimit: { unit: 'WORKING_DAY', amount: 18 },
        remote: true,
        procedureVersion: '2025-07-01',
        provinceCode: '56',
      },
    });
  });

  it('a supplement pause across a holiday moves the due date by the paused working time only', () => {
    // Received Mon 20 Apr 2026 09:00, paused Thu 23 Apr 10:00 → Wed 29 Apr 10:00 across Hùng Kings (27 Apr): 1,440
    // working minutes (3 working days) paused, so the due date moves from Tue 5 May to Fri 8 May 09:00.
    const received = new Date('2026-04-20T09:00:00+07:00');
    expect(dueAt('2026-04-20T09:00:00+07:00', '1.013831', 'TRANSFER')).toBe('2026-05-05T09:00:00+07:00');
    const ledger = ClockLedger.start({
      calendar: data.calendar.forProvince('56'),
      receivedAt: received,
      timeLimit: data.catalogue.resolve({ procedureCode: '1.013831', caseCode: 'TRANSFER', receivedAt: received })
        .timeLimits,
    })
      .pause(PauseReason.Supplement, new Date('2026-04-23T10:00:00+07:00'))
      .resume(PauseReason.Supplement, new Date('2026-04-29T10:00:00+07:00'));
    expect(ledger.dueAtIso(new Date('2026-04-29T10:00:00+07:00'))).toBe('2026-05-08T09:00:00+07:00');
  });

  it('refuses a procedure not in force at receipt, naming the field', () => {
    expect(() => dueAt('2025-06-30T09:00:00+07:00', '1.013831', 'TRANSFER')).toThrow(ValidationError);
  });
});
