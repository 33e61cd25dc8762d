/**
 * Topic names (architecture §4). One topic per aggregate stream, owned by its producer, keyed by dossier code.
 * Partitions and retention are declared in contracts/kafka/topics.json, which the local stack and docker-compose use
 * to create them; a unit test keeps the two lists equal.
 */
export const Topics = {
  DossierEvents: 'dossier-intake.dossier.events.v1',
  /** Intake systems' settings (webhook subscriptions); key = client id, compacted. */
  ClientEvents: 'dossier-intake.client.events.v1',
  CaseEvents: 'registration-office.case.events.v1',
  MatchEvents: 'population-matching.match.events.v1',
  DeliveryEvents: 'notification.delivery.events.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** The four services; also the `source` of the events each produces and the prefix of its consumer groups. */
export const ServiceNames = {
  DossierIntake: 'dossier-intake',
  RegistrationOffice: 'registration-office',
  PopulationMatching: 'population-matching',
  Notification: 'notification',
} as const;
export type ServiceName = (typeof ServiceNames)[keyof typeof ServiceNames];

/** Dead-letter topic of a consuming service: `<consumer>.dlq.v1`. */
export function deadLetterTopic(consumer: ServiceName): string {
  return `${consumer}.dlq.v1`;
}

/** Consumer group name `<consumer>.<source>-<aggregate>`, e.g. `registration-office.dossier-intake-dossier`. */
export function consumerGroup(consumer: ServiceName, topic: Topic): string {
  const [source, aggregate] = topic.split('.');
  return `${consumer}.${source}-${aggregate}`;
}
