import { createEvent, envelopeHeaders, InvalidEnvelopeError, parseEnvelope } from './event-envelope';

const event = createEvent({
  type: 'dossier.submitted',
  source: '/dossier-intake',
  subject: '000.00.56.H42-261123-0001',
  sequence: 1,
  data: { procedureCode: '1.013831' },
});

describe('event envelope', () => {
  it('creates a CloudEvents 1.0 envelope whose correlation and causation start at itself', () => {
    expect(event.specversion).toBe('1.0');
    expect(event.correlationId).toBe(event.id);
    expect(event.causationId).toBe(event.id);
    expect(event.dataschema).toBe('urn:lienthong:dossier.submitted:v1');
  });

  it('round-trips through JSON', () => {
    expect(parseEnvelope(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('rejects a message that is not an envelope, naming each problem', () => {
    expect(() => parseEnvelope('hello')).toThrow(InvalidEnvelopeError);
    try {
      parseEnvelope({ ...event, sequence: 0, subject: '', data: null });
    } catch (e) {
      expect((e as InvalidEnvelopeError).problems).toEqual([
        'subject must be a non-empty string',
        'sequence must be a positive integer',
        'data must be an object',
      ]);
    }
    expect.assertions(2);
  });

  it('copies routing attributes into ce_* headers', () => {
    expect(envelopeHeaders(event)).toMatchObject({ ce_type: 'dossier.submitted', ce_sequence: '1' });
  });
});
