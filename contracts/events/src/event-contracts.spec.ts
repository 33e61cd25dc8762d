import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  InvalidPayloadError,
  isEventType,
  parseCaseReceivedV1,
  parseDossierSubmittedV1,
  parseEventData,
  payloadSchemas,
  validateDeadLetter,
  validateEvent,
  type CloudEventEnvelopeV1,
  type DossierSubmittedV1,
} from './index';

const dir = path.resolve(__dirname, '..');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const names = (folder: string) =>
  readdirSync(path.join(dir, folder))
    .filter((f) => f.endsWith('.json'))
    .sort();
const example = (type: string) => read(`examples/${type.replace('.', '-')}.v1.json`) as CloudEventEnvelopeV1;
const submitted = () => example('dossier.submitted') as CloudEventEnvelopeV1 & { data: DossierSubmittedV1 };

describe('schemas and golden examples', () => {
  it('exist for every schema, and only for those', () => {
    expect(names('examples')).toEqual(names('schemas').filter((f) => f !== 'cloudevent-envelope.v1.json'));
  });

  it('are named after the $id of their schema', () => {
    for (const file of names('schemas')) {
      const { $id } = read(`schemas/${file}`) as { $id: string };
      expect(
        `${$id
          .replace(/^urn:lienthong:/, '')
          .replace('.', '-')
          .replace(':', '.')}.json`,
      ).toBe(file);
    }
  });

  it.each(Object.keys(payloadSchemas))('%s validates against the envelope and its payload schema', (type) => {
    const event = example(type);
    expect(event.type).toBe(type);
    expect(validateEvent(event)).toEqual([]);
    expect(parseEventData(type as keyof typeof payloadSchemas, event.data)).toEqual(event.data);
  });

  it('the dead letter validates against its schema', () => {
    expect(validateDeadLetter(read('examples/dead-letter.v1.json'))).toEqual([]);
  });
});

describe('validateEvent (strict, for producers)', () => {
  it('rejects fields outside the contract, so nothing unagreed (e.g. personal data) leaks', () => {
    const event = submitted();
    const leaky = { ...event, data: { ...event.data, externalReference: { system: 's', id: '1' } } };
    expect(validateEvent(leaky)).toEqual(['/data must NOT have additional properties (externalReference)']);
  });

  it('checks what no schema can: the dataschema of the type and the dossier code equal to the key', () => {
    const event = submitted();
    expect(
      validateEvent({ ...event, dataschema: 'urn:lienthong:case.received:v1', subject: '000.00.56.H42-261123-0002' }),
    ).toEqual(['/dataschema must be urn:lienthong:dossier.submitted:v1', '/data/dossierCode must equal subject']);
  });

  it('requires the client id of a client event to equal subject, its Kafka key', () => {
    const event = example('client.webhook-subscribed');
    expect(validateEvent({ ...event, subject: 'another-client' })).toEqual(['/data/clientId must equal subject']);
  });

  it('names envelope problems and unknown types', () => {
    const { sequence: _s, ...event } = example('case.received');
    expect(validateEvent({ ...event, type: 'case.exploded' })).toEqual([
      "/ must have required property 'sequence'",
      '/type is not an event type of this contract',
    ]);
    expect(validateEvent(null)).toEqual(['/ must be object', '/type is not an event type of this contract']);
  });

  it('requires personal contacts on delivery events to be masked (domain.md §6)', () => {
    const event = example('delivery.sent');
    expect(validateEvent({ ...event, data: { ...event.data, recipient: '0905123456' } })).toEqual([
      '/data/recipient must match pattern "\\*"',
      '/data must match "then" schema',
    ]);
  });
});

describe('parsing received payloads (tolerant, for consumers)', () => {
  it('returns a typed copy without fields this version does not know', () => {
    const data = { ...submitted().data, addedLater: 1 };
    const parsed = parseDossierSubmittedV1(data);
    expect(parsed).not.toBe(data);
    expect(parsed).not.toHaveProperty('addedLater');
    expect(parsed.applicant.fullName).toBe('Nguyễn Văn An');
  });

  it('throws InvalidPayloadError listing every problem, without the values', () => {
    const error = (() => {
      try {
        parseDossierSubmittedV1({ ...submitted().data, applicant: { personalIdNumber: '0560800012' }, parcels: [] });
      } catch (e) {
        return e;
      }
    })() as InvalidPayloadError;
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect(error.eventType).toBe('dossier.submitted');
    expect(error.problems).toEqual([
      "/applicant must have required property 'fullName'",
      "/applicant must have required property 'dateOfBirth'",
      "/applicant must have required property 'gender'",
      '/applicant/personalIdNumber must match pattern "^[0-9]{12}$"',
      '/parcels must NOT have fewer than 1 items',
    ]);
    expect(error.message).not.toContain('0560800012');
  });

  it('checks case.received', () => {
    const data = example('case.received').data;
    expect(parseCaseReceivedV1(data)).toEqual(data);
    expect(() => parseCaseReceivedV1({ ...data, branchCode: 7 })).toThrow('/branchCode must be string');
  });

  it('knows the event types of the contract', () => {
    expect(isEventType('match.completed')).toBe(true);
    expect(isEventType('toString')).toBe(false);
  });
});
