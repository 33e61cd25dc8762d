/** Publishes a dossier's pending outbox events (port; implemented by the outbox relay). */
export abstract class DossierEventsRelay {
  abstract relay(dossierCode: string): Promise<number>;
}
