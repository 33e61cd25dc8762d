import { createEvent, ServiceNames, toOutboxEntries, type EventEnvelope, type OutboxEntry } from '@lienthong/messaging';
import type { DossierEvent } from '../domain/dossier';

/**
 * Wraps a transition's facts in envelopes: the i-th gets `sequence` = `previousVersion + 1 + i` (see Transition),
 * and the flow's correlation id and causing event or request when known.
 */
export function dossierEnvelopes(
  subject: string,
  previousVersion: number,
  events: readonly DossierEvent[],
  time: Date,
  cause?: { correlationId: string; causationId: string },
): { envelopes: EventEnvelope[]; outbox: OutboxEntry[] } {
  const envelopes = events.map((event, i) =>
    createEvent({
      type: event.type,
      source: `/${ServiceNames.DossierIntake}`,
      subject,
      sequence: previousVersion + 1 + i,
      data: event.data,
      time,
      ...(cause ?? {}),
    }),
  );
  return { envelopes, outbox: toOutboxEntries(envelopes) };
}
