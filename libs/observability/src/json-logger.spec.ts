import { redact } from './json-logger';

describe('redact', () => {
  it('masks 12-digit and 9-digit identification numbers inside text', () => {
    expect(redact('person 056080001234 and legacy 123456789')).toBe('person 0560******34 and legacy 1234***89');
  });

  it('leaves other numbers alone', () => {
    expect(redact('dossier 000.00.56.H42-261123-0001, area 120.5, phone 0905123456')).toBe(
      'dossier 000.00.56.H42-261123-0001, area 120.5, phone 0905123456',
    );
  });
});
