import { personsOf } from './verification-request';

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
