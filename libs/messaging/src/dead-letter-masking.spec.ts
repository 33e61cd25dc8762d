import { maskDeadLetter, maskEmail, maskPersonalData, maskPersonalText, maskPhone } from './dead-letter-masking';
import type { DeadLetter } from './reliable-consumer';

const letter = (value: string | null, extra: Partial<DeadLetter> = {}): DeadLetter => ({
  service: 'registration-office',
  originalTopic: 'dossier-intake.dossier.events.v1',
  partition: 3,
  offset: '1045',
  key: '000.00.56.H42-261122-0001',
  value,
  valueEncoding: 'utf8',
  headers: { ce_type: 'dossier.submitted', ce_subject: '000.00.56.H42-261122-0001' },
  error: { class: 'PoisonMessageError', message: 'INVALID_ENVELOPE: sequence must be a positive integer' },
  attempts: 1,
  deadLetteredAt: '2026-11-22T08:00:00.000Z',
  ...extra,
});

describe('dead-letter masking', () => {
  it('masks 12- and 9-digit identification numbers, phone numbers and e-mails in free text', () => {
    expect(
      maskPersonalText('id 056080001234, cmnd 123456789, call 0905123456 or +84905123456, mail an.nguyen@example.vn'),
    ).toBe('id 0560******34, cmnd 1234***89, call 0905****56 or +8490*****56, mail a***@example.vn');
  });

  it('leaves dossier codes, offsets, times and sequence numbers alone', () => {
    const text = '000.00.56.H42-261122-0001 @1045 2026-11-22T08:00:00.000Z sequence 17';
    expect(maskPersonalText(text)).toBe(text);
  });

  it('masks fields by name whatever they hold, and other strings as free text', () => {
    expect(
      maskPersonalData({
        applicant: {
          fullName: 'Nguyễn Văn An',
          personalIdNumber: '056080001234',
          dateOfBirth: '1980-03-15',
          phone: '0905 123 456',
          email: 'an@example.vn',
          address: '12 Trần Phú, Nha Trang',
        },
        parties: [{ role: 'TRANSFEREE', fullName: 'Lê Hoàng Minh', personalIdNumber: '079095007890' }],
        note: 'call 0905123456',
        sequence: 3,
        areaM2: 120.5,
      }),
    ).toEqual({
      applicant: {
        fullName: 'N. V. A.',
        personalIdNumber: '0560******34',
        dateOfBirth: '1980-**-**',
        phone: '0905****56',
        email: 'a***@example.vn',
        address: '***',
      },
      parties: [{ role: 'TRANSFEREE', fullName: 'L. H. M.', personalIdNumber: '0790******90' }],
      note: 'call 0905****56',
      sequence: 3,
      areaM2: 120.5,
    });
  });

  it('masks an identification number carried as a JSON number', () => {
    // As a number the leading zero is gone; by field name it is masked anyway, elsewhere when it has 9 or 12 digits.
    expect(maskPersonalData({ personalIdNumber: 56080001234, other: 123456789, sequence: 12345678901 })).toEqual({
      personalIdNumber: '5608*****34',
      other: '1234***89',
      sequence: 12345678901,
    });
  });

  it('shows a JSON value parsed and masked, leaving the letter coordinates intact', () => {
    const masked = maskDeadLetter(
      letter(JSON.stringify({ subject: 'X', data: { applicant: { personalIdNumber: '056080001234' } } })),
    );
    expect(masked.value).toEqual({ subject: 'X', data: { applicant: { personalIdNumber: '0560******34' } } });
    expect(masked).toMatchObject({ originalTopic: 'dossier-intake.dossier.events.v1', partition: 3, offset: '1045' });
    expect(masked.key).toBe('000.00.56.H42-261122-0001');
  });

  it('masks a value that is not JSON as text, and decodes a base64 (non-UTF-8) value first', () => {
    expect(maskDeadLetter(letter('{"personalIdNumber":"056080001234"')).value).toBe(
      '{"personalIdNumber":"0560******34"',
    );
    const bytes = Buffer.concat([Buffer.from('id 056080001234 '), Buffer.from([0xff, 0xfe])]);
    const shown = maskDeadLetter(letter(bytes.toString('base64'), { valueEncoding: 'base64' })).value as string;
    expect(shown.startsWith('id 0560******34 ')).toBe(true);
    expect(maskDeadLetter(letter(null)).value).toBeNull();
  });

  it('masks personal data in error messages and headers', () => {
    const masked = maskDeadLetter(
      letter('{}', {
        error: { class: 'ValidationError', message: 'personalIdNumber 056080001234 is invalid' },
        headers: { note: 'reply to an@example.vn' },
      }),
    );
    expect(masked.error.message).toBe('personalIdNumber 0560******34 is invalid');
    expect(masked.headers).toEqual({ note: 'reply to a***@example.vn' });
  });

  it('masks short or odd values entirely', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskEmail('@nobody')).toBe('***');
  });
});
