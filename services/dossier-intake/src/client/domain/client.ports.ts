import type { WebhookSubscription } from './webhook-subscription';

/** An intake system's settings as stored: one document per client id, with its pending events. */
export interface ClientSettings {
  clientId: string;
  webhook?: WebhookSubscription;
  /** Each change increments it; each event's `sequence`. */
  version: number;
}

export abstract class ClientRepository {
  abstract find(clientId: string): Promise<ClientSettings | null>;
  /**
   * Stores the settings with their new pending events in one write, only over `expectedVersion` (0: the client has
   * no document yet); false when a concurrent change came first.
   */
  abstract save(settings: ClientSettings, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean>;
}

/** Publishes a client's pending events (port; implemented by the outbox relay on the client topic). */
export abstract class ClientEventsRelay {
  abstract relay(clientId: string): Promise<number>;
}
