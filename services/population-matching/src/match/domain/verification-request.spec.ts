import { personsOf, reasonsOf } from './verification-request';

describe('personsOf', () => {
  const an = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15', gender: 'MALE' };
  const bich = {
    fullName: 'Trần Thị Bích',
    personalIdNumber: '056182004567',
    dateOfBirth: '1982-07-02',
    gender: 'FEMALE',
  };

  it('lists the applicant and every party, keeping roles', () => {
    const persons = personsOf({
      applicant: an,
      parties: [
        { ...an, role: 'TRANSFEROR' },
        { ...bich, role: 'TRANSFEROR' },
      ],
    });
    expect(persons.map((p) => `${p.role}:${p.fullName}`)).toEqual([
      'APPLICANT:Nguyễn Văn An',
      'TRANSFEROR:Nguyễn Văn An',
      'TRANSFEROR:Trần Thị Bích',
    ]);
  });

  it('drops a person repeated in the same role', () => {
    expect(
      personsOf({
        applicant: an,
        parties: [
          { ...bich, role: 'HEIR' },
          { ...bich, role: 'HEIR' },
        ],
      }),
    ).toHaveLength(2);
  });
});

describe('reasonsOf', () => {
  const person = (reasons: string[]) => ({
    role: 'APPLICANT',
    fullName: 'Nguyễn Văn An',
    personalIdNumber: '056080001234',
    dateOfBirth: '1980-03-15',
    gender: 'MALE',
    result: {
      verdict: 'NOT_FOUND' as const,
      score: 0,
      mismatchedFields: [],
      evidence: { number: { field: 'personalIdNumber' as const, outcome: 'NOT_FOUND' as const } },
      reasons,
      checkedAt: '2026-12-01T02:00:00.000Z',
    },
  });

  it('gives the events only codes of the closed list, a retired one under its new name', () => {
    expect(reasonsOf(person(['NO_REGISTRY_RECORD']))).toEqual(['NOT_IN_REGISTRY']);
    expect(reasonsOf(person(['ID_EXACT', 'SOMETHING_ELSE', 'DOB_DAY_MONTH_SWAPPED']))).toEqual([
      'ID_EXACT',
      'DOB_DAY_MONTH_SWAPPED',
    ]);
    expect(reasonsOf({ ...person([]), result: undefined })).toEqual([]);
  });
});
