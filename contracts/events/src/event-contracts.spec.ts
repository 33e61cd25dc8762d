import { InvalidPayloadError, parseCaseReceivedV1, parseDossierSubmittedV1 } from './index';

const person = {
  fullName: 'Nguyễn Văn An',
  personalIdNumber: '056080001234',
  dateOfBirth: '1980-03-15',
  gender: 'MALE',
};
const submitted = {
  dossierCode: '000.00.56.H42-261123-0001',
  procedureCode: '1.013831',
  receivingUnitCode: '22657',
  channel: 'DIRECT',
  receivedAt: '2026-11-23T08:15:00+07:00',
  applicant: person,
  parties: [{ ...person, role: 'TRANSFEROR' }],
  parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
};

describe('event payload contracts', () => {
  it('accepts a complete dossier.submitted payload', () => {
    expect(parseDossierSubmittedV1(submitted)).toBe(submitted);
  });

  it('names every problem of a malformed dossier.submitted payload', () => {
    try {
      parseDossierSubmittedV1({ n: 1 });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidPayloadError);
      expect((e as InvalidPayloadError).problems).toHaveLength(7);
    }
  });

  it('checks case.received', () => {
    const ok = {
      dossierCode: 'X-261123-0001',
      procedureCode: '1.013831',
      communeCode: '22657',
      receivedAt: '2026-11-23T01:00:00Z',
    };
    expect(parseCaseReceivedV1(ok)).toBe(ok);
    expect(() => parseCaseReceivedV1({ ...ok, branchCode: 7 })).toThrow('branchCode must be text when present');
  });
});
