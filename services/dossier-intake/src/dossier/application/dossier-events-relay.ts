/** Publishes a dossier's pending outbox events (port; implemented by the outbox relay). */
export abstract class DossierEventsRelay {
  abstract relay(dossierCode: string): Promise<number>;
}

/** The receiving communes this deployment serves, with the agency id used in their dossier codes. */
export abstract class ReceivingAgencies {
  abstract agencyFor(communeCode: string): string | undefined;
}
