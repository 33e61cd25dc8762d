import type { Case } from './case';

/** Persistence port for cases. Implementations return plain objects. */
export abstract class CaseRepository {
  /**
   * Creates the case with its pending events, unless a case for the dossier exists already (a redelivered event).
   * Returns false when it existed.
   */
  abstract createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean>;
  abstract findByCode(dossierCode: string): Promise<Case | null>;
}
