import { createEvent } from './event-envelope';
import { decodeEvent, maxEventBytes, PoisonMessageError } from './message-decoding';
import { Topics } from './topics';

const valid = createEvent({
  type: 'dossier.submitted',
  source: '/dossier-intake',
  subject: '000.00.56.H42-261123-0001',
  sequence: 1,
  data: { dossierCode: '000.00.56.H42-261123-0001' },
});
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function reasonOf(value: Buffer | string | null): string {
  try {
    decodeEvent(Topics.DossierEvents, value);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error.reason;
    throw error;
  }
  return 'ACCEPTED';
}

describe('decodeEvent', () => {
  it('accepts a valid event as bytes or text', () => {
    expect(decodeEvent(Topics.DossierEvents, encode(valid))).toEqual(valid);
    expect(decodeEvent(Topics.DossierEvents, JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"id": '), 'NOT_JSON'],
    ['no value', null, 'NOT_JSON'],
    ['non-UTF-8 bytes', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'NOT_UTF8'],
    ['oversize', Buffer.alloc(maxEventBytes + 1, 0x20), 'OVERSIZE'],
    ['missing envelope fields', encode({ type: 'dossier.submitted', data: {} }), 'INVALID_ENVELOPE'],
    ['wrong sequence type', encode({ ...valid, sequence: '1' }), 'INVALID_ENVELOPE'],
    [
      'unknown type',
      encode({ ...valid, type: 'dossier.teleported', dataschema: 'urn:lienthong:dossier.teleported:v1' }),
      'UNKNOWN_TYPE',
    ],
    [
      'a type of another topic',
      encode({ ...valid, type: 'case.received', dataschema: 'urn:lienthong:case.received:v1' }),
      'UNKNOWN_TYPE',
    ],
    [
      'unknown schema version',
      encode({ ...valid, dataschema: 'urn:lienthong:dossier.submitted:v9' }),
      'UNSUPPORTED_SCHEMA_VERSION',
    ],
    [
      'schema of another type',
      encode({ ...valid, dataschema: 'urn:lienthong:dossier.withdrawn:v1' }),
      'UNSUPPORTED_SCHEMA_VERSION',
    ],
  ])('rejects %s', (_kind, value, reason) => {
    expect(reasonOf(value)).toBe(reason);
  });
});
