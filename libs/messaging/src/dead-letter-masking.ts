import { maskPersonalId } from '@lienthong/kernel';
import { redact } from '@lienthong/observability';
import type { DeadLetter } from './reliable-consumer';

// Vietnamese phone numbers: 0 + 9 or 10 digits, or the same after 84 / +84, standing alone. Applied after `redact`,
// so a 12-digit identification number starting with 84 is already masked and never read as a phone number.
const phonePattern = /(?<![\d*])(?:\+84|84|0)\d{9,10}(?![\d*])/g;
const emailPattern = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

/** `0905123456` → `0905****56`: the operator, the network prefix and the last two digits stay. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(phone.length);
  const head = phone.startsWith('+') ? `+${digits.slice(0, 4)}` : digits.slice(0, 4);
  return `${head}${'*'.repeat(digits.length - 6)}${digits.slice(-2)}`;
}

/** `an.nguyen@example.vn` → `a***@example.vn`: enough to recognise the provider, not the person. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `Nguyễn Văn An` → `N. V. A.` */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]}.`)
    .join(' ');
}

/**
 * Masks personal data inside free text: 12- and 9-digit identification numbers (as in logs), phone numbers and
 * e-mail addresses.
 */
export function maskPersonalText(text: string): string {
  return redact(text)
    .replace(phonePattern, (phone) => maskPhone(phone))
    .replace(emailPattern, (email) => maskEmail(email));
}

// Fields masked by name wherever they appear, whatever their content looks like.
const fieldMaskers: [RegExp, (value: string) => string][] = [
  [/(personalId|idNumber|citizenId|identification)/i, (v) => maskPersonalId(v)],
  [/(phone|mobile|msisdn|zalo)/i, (v) => maskPhone(v)],
  [/e-?mail/i, (v) => maskEmail(v)],
  [/^(fullName|name|recipientName|displayName)$/i, (v) => initials(v)],
  [/(dateOfBirth|birthDate|dob)$/i, (v) => v.replace(/^(\d{4}).*$/, '$1-**-**')],
  [/(address|street)/i, () => '***'],
];

/**
 * Masks personal data in a parsed JSON value: fields named like identification numbers, phones, e-mails, names,
 * dates of birth and addresses by their name; every other string as free text (maskPersonalText). Numbers that look
 * like identification numbers or phone numbers are masked as text too.
 */
export function maskPersonalData(value: unknown, field?: string): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    const masker = field === undefined ? undefined : fieldMaskers.find(([pattern]) => pattern.test(field))?.[1];
    const masked = masker ? masker(text) : maskPersonalText(text);
    return typeof value === 'number' && masked === text ? value : masked;
  }
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, field));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskPersonalData(item, key)]));
  }
  return value;
}

/** A dead letter fit for a screen: personal data masked, the value parsed when it is JSON. */
export interface MaskedDeadLetter extends Omit<DeadLetter, 'value'> {
  /** The original value: parsed JSON when it was JSON, text otherwise, masked either way; null when it had none. */
  value: unknown;
}

/**
 * Masks a dead letter for `dlq show`: the value (JSON walked field by field, other text as free text; a value stored
 * as base64 because it was not UTF-8 is decoded lossily first), the headers, the key and the error message.
 */
export function maskDeadLetter(letter: DeadLetter): MaskedDeadLetter {
  const text =
    letter.value === null
      ? null
      : letter.valueEncoding === 'base64'
        ? Buffer.from(letter.value, 'base64').toString('utf8')
        : letter.value;
  let value: unknown = null;
  if (text !== null) {
    try {
      value = maskPersonalData(JSON.parse(text) as unknown);
    } catch {
      value = maskPersonalText(text);
    }
  }
  return {
    ...letter,
    key: letter.key === null ? null : maskPersonalText(letter.key),
    value,
    headers: maskPersonalData(letter.headers) as Record<string, string>,
    error: { class: letter.error.class, message: maskPersonalText(letter.error.message) },
  };
}
