import { assertChecks, isObject, isText } from './invalid-payload.error';

/** `case.received` v1 (topic `registration-office.case.events.v1`): the LRO opened a case for a dossier. */
export const CaseReceivedType = 'case.received';

export interface CaseReceivedV1 {
  dossierCode: string;
  /** LRO branch serving the commune; absent when none is configured for it. */
  branchCode?: string;
  procedureCode: string;
  communeCode: string;
  /** When the LRO received it, RFC 3339. */
  receivedAt: string;
}

/** Checks a received `case.received` payload; throws InvalidPayloadError. */
export function parseCaseReceivedV1(data: unknown): CaseReceivedV1 {
  const d = isObject(data) ? data : {};
  assertChecks(CaseReceivedType, [
    [isText(d.dossierCode), 'dossierCode is required'],
    [isText(d.procedureCode), 'procedureCode is required'],
    [isText(d.communeCode), 'communeCode is required'],
    [isText(d.receivedAt) && !Number.isNaN(Date.parse(d.receivedAt)), 'receivedAt must be RFC 3339'],
    [d.branchCode === undefined || isText(d.branchCode), 'branchCode must be text when present'],
  ]);
  return data as CaseReceivedV1;
}
