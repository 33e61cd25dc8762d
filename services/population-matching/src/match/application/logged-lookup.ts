import { type Clock, maskPersonalId } from '@lienthong/kernel';
import type { LookupPurpose, RegistryQuery } from '../domain/matching/registry-record';
import {
  type LookupLog,
  type PopulationRegistry,
  type RegistryAnswer,
  RegistryThrottledError,
  RegistryUnavailableError,
} from '../domain/match.ports';

/** A registry batch request written to the lookup log whatever its outcome (purpose, caller, time, masked numbers). */
export function loggedLookup(registry: PopulationRegistry, log: LookupLog, clock: Clock) {
  return async (queries: readonly RegistryQuery[], purpose: LookupPurpose): Promise<RegistryAnswer[]> => {
    const started = clock.now();
    const record = (outcome: 'ANSWERED' | 'THROTTLED' | 'UNAVAILABLE' | 'REJECTED') =>
      log.record({
        purpose: purpose.purpose,
        caller: purpose.caller,
        at: started.toISOString(),
        durationMs: clock.now().getTime() - started.getTime(),
        persons: queries.length,
        maskedIds: queries.map((q) => maskPersonalId(q.personalIdNumber ?? q.legacyIdNumber)),
        outcome,
      });
    try {
      const answers = await registry.lookup(queries, purpose);
      await record('ANSWERED');
      return answers;
    } catch (error) {
      await record(
        error instanceof RegistryThrottledError
          ? 'THROTTLED'
          : error instanceof RegistryUnavailableError
            ? 'UNAVAILABLE'
            : 'REJECTED',
      );
      throw error;
    }
  };
}
