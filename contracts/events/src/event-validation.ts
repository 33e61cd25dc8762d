import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DossierEventType, CaseEventType, type EventType } from './event-types';
import {
  cloudEventEnvelopeV1Schema,
  deadLetterV1Schema,
  payloadSchemas,
  type CaseReceivedV1,
  type DossierSubmittedV1,
  type EventDataByType,
} from './generated';
import { InvalidPayloadError } from './invalid-payload.error';

type Mode = 'strict' | 'tolerant';

/**
 * Two validators over the same schemas. Strict (producers, examples): a field outside the contract is an error, since
 * it is either a typo or data, possibly personal, that nobody agreed to share. Tolerant (consumers): unknown fields
 * are dropped before the checks, so an additive v1 change deployed producer-first does not dead-letter messages at
 * consumers that still run the older schema. Each is built on first use and compiles each schema once.
 */
const validators: Partial<Record<Mode, Ajv>> = {};

function validatorFor(mode: Mode, schemaId: string): ValidateFunction {
  let ajv = validators[mode];
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, removeAdditional: mode === 'tolerant' });
    addFormats(ajv);
    const schemas: AnySchema[] = [cloudEventEnvelopeV1Schema, deadLetterV1Schema, ...Object.values(payloadSchemas)];
    ajv.addSchema(schemas);
    validators[mode] = ajv;
  }
  const validate = ajv.getSchema(schemaId);
  if (!validate) throw new Error(`no schema ${schemaId}`);
  return validate;
}

/** Problems as `<JSON pointer> <rule>`; ajv's messages name the rule, never the value (it may be personal). */
function problemsOf(errors: ErrorObject[] | null | undefined, at = ''): string[] {
  return (errors ?? []).map((error) => {
    const unknown = (error.params as { additionalProperty?: string }).additionalProperty;
    return `${at}${error.instancePath || (at ? '' : '/')} ${error.message ?? error.keyword}${unknown ? ` (${unknown})` : ''}`;
  });
}

function check(mode: Mode, schemaId: string, value: unknown, at = ''): string[] {
  const validate = validatorFor(mode, schemaId);
  return validate(value) ? [] : problemsOf(validate.errors, at);
}

/** True for the event types this contract defines (version 1). */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(payloadSchemas, type);
}

/**
 * Checks an event exactly as it goes on the wire (parse the JSON first): the envelope, the payload against the schema
 * of its `type`, and the rules no schema can express (`dataschema` names that schema; `data.dossierCode`, or for client
 * events `data.clientId`, equals `subject`, the Kafka key). Strict: unknown fields are problems. Returns the problems; empty when valid.
 */
export function validateEvent(event: unknown): string[] {
  const problems = check('strict', cloudEventEnvelopeV1Schema.$id, event);
  const { type, dataschema, subject, data } = (event ?? {}) as Record<string, unknown>;
  if (!isEventType(type)) return [...problems, '/type is not an event type of this contract'];
  if (dataschema !== payloadSchemas[type].$id) problems.push(`/dataschema must be ${payloadSchemas[type].$id}`);
  problems.push(...check('strict', payloadSchemas[type].$id, data, '/data'));
  const dossierCode = (data as { dossierCode?: unknown } | undefined)?.dossierCode;
  if (typeof dossierCode === 'string' && dossierCode !== subject) problems.push('/data/dossierCode must equal subject');
  const clientId = (data as { clientId?: unknown } | undefined)?.clientId;
  if (type.startsWith('client.') && clientId !== subject) problems.push('/data/clientId must equal subject');
  return problems;
}

/** Checks a dead letter (`<consumer>.dlq.v1` value, parsed). Returns the problems; empty when valid. */
export function validateDeadLetter(letter: unknown): string[] {
  return check('strict', deadLetterV1Schema.$id, letter);
}

/**
 * Checks a received event's `data` against the payload schema of `type` and returns a copy, typed, without the
 * fields this version does not know (consumers ignore them). Throws InvalidPayloadError listing every problem.
 */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventDataByType[T] {
  const copy: unknown = structuredClone(data);
  const problems = check('tolerant', payloadSchemas[type].$id, copy);
  if (problems.length > 0) throw new InvalidPayloadError(type, problems);
  return copy as EventDataByType[T];
}

/** Checks a received `dossier.submitted` payload; throws InvalidPayloadError. */
export function parseDossierSubmittedV1(data: unknown): DossierSubmittedV1 {
  return parseEventData(DossierEventType.Submitted, data);
}

/** Checks a received `case.received` payload; throws InvalidPayloadError. */
export function parseCaseReceivedV1(data: unknown): CaseReceivedV1 {
  return parseEventData(CaseEventType.Received, data);
}
