/**
 * The case status changes notification has learnt, per dossier: the input from which it decides whom to tell.
 * Channels and deliveries are the next stage of this service. Pure TypeScript.
 */
export interface StatusChange {
  /** Case event type, e.g. `case.received`. */
  type: string;
  /** Event id, so a redelivered event is recognised. */
  eventId: string;
  sequence: number;
  at: string;
}

export interface DossierStatusLog {
  dossierCode: string;
  changes: StatusChange[];
  /** Highest case-stream `sequence` applied. */
  caseSequence: number;
}
