import { activeStatuses, type Dossier, type ExternalReference } from '../../domain/dossier';
import {
  DossierCodeCounter,
  DossierRepository,
  type DossierQuery,
  type SubmissionReservation,
} from '../../domain/dossier.ports';

/**
 * The repository port in memory, with the same contract as the MongoDB adapter (conditional writes by version,
 * the list's filters and cursor), for unit tests of the application handlers.
 */
export class InMemoryDossierRepository extends DossierRepository {
  /** Each stored dossier with every event it has queued (never drained here). */
  readonly rows: { dossier: Dossier; outbox: unknown[] }[] = [];
  readonly reservations = new Map<string, SubmissionReservation>();
  readonly references = new Map<string, string>();

  override findReservation(clientId: string, key: string): Promise<SubmissionReservation | null> {
    return Promise.resolve(this.reservations.get(`${clientId}|${key}`) ?? null);
  }

  override reserve(reservation: SubmissionReservation): Promise<boolean> {
    const id = `${reservation.clientId}|${reservation.idempotencyKey}`;
    if (this.reservations.has(id)) return Promise.resolve(false);
    this.reservations.set(id, { ...reservation, reservedAt: reservation.reservedAt ?? new Date() });
    return Promise.resolve(true);
  }

  override assignCode(clientId: string, key: string, dossierCode: string): Promise<string> {
    const reservation = this.reservations.get(`${clientId}|${key}`);
    if (reservation && !reservation.dossierCode) reservation.dossierCode = dossierCode;
    return Promise.resolve(reservation?.dossierCode ?? dossierCode);
  }

  override claimExternalReference(clientId: string, ref: ExternalReference, key: string): Promise<string> {
    const id = `${clientId}|${ref.system}|${ref.id}`;
    if (!this.references.has(id)) this.references.set(id, key);
    return Promise.resolve(this.references.get(id)!);
  }

  override insert(dossier: Dossier, outbox: readonly unknown[]): Promise<boolean> {
    if (this.rows.some((r) => r.dossier.dossierCode === dossier.dossierCode)) return Promise.resolve(false);
    this.rows.push({ dossier: structuredClone(dossier), outbox: [...outbox] });
    return Promise.resolve(true);
  }

  override insertMany(
    dossiers: readonly Dossier[],
    outboxes?: ReadonlyMap<string, readonly unknown[]>,
  ): Promise<{ inserted: string[]; present: string[] }> {
    const inserted: string[] = [];
    const present: string[] = [];
    for (const dossier of dossiers) {
      if (this.rows.some((r) => r.dossier.dossierCode === dossier.dossierCode)) present.push(dossier.dossierCode);
      else {
        this.rows.push({ dossier: structuredClone(dossier), outbox: [...(outboxes?.get(dossier.dossierCode) ?? [])] });
        inserted.push(dossier.dossierCode);
      }
    }
    return Promise.resolve({ inserted, present });
  }

  override findByCode(code: string): Promise<Dossier | null> {
    const row = this.rows.find((r) => r.dossier.dossierCode === code);
    return Promise.resolve(row ? structuredClone(row.dossier) : null);
  }

  override save(dossier: Dossier, expectedVersion: number, outbox: readonly unknown[]): Promise<boolean> {
    const row = this.rows.find((r) => r.dossier.dossierCode === dossier.dossierCode);
    if (!row || row.dossier.version !== expectedVersion) return Promise.resolve(false);
    row.dossier = structuredClone(dossier);
    row.outbox.push(...outbox);
    return Promise.resolve(true);
  }

  override list(query: DossierQuery): Promise<{ items: Dossier[]; next?: string }> {
    const time = (s: string) => Date.parse(s);
    const matching = this.rows
      .map((r) => r.dossier)
      .filter((d) => query.communes.includes(d.receivingUnitCode))
      .filter((d) => !query.after || d.dossierCode > query.after)
      .filter((d) => !query.status || d.status === query.status)
      .filter((d) => !query.procedureCode || d.procedureCode === query.procedureCode)
      .filter((d) => !query.receivedFrom || time(d.receivedAt) >= query.receivedFrom.getTime())
      .filter((d) => !query.receivedTo || time(d.receivedAt) < query.receivedTo.getTime())
      .filter((d) => {
        if (query.overdue === undefined) return true;
        const overdue = activeStatuses.includes(d.status) && time(d.dueAt) < query.now.getTime();
        return overdue === query.overdue;
      })
      .sort((a, b) => (a.dossierCode < b.dossierCode ? -1 : 1));
    const items = matching.slice(0, query.limit).map((d) => structuredClone(d));
    return Promise.resolve(
      matching.length > query.limit ? { items, next: items[items.length - 1]!.dossierCode } : { items },
    );
  }

  /** Every queued event envelope of a dossier, oldest first. */
  eventsOf(code: string): { type: string; sequence: number; data: Record<string, unknown> }[] {
    const row = this.rows.find((r) => r.dossier.dossierCode === code);
    return (row?.outbox ?? []).map((e) => (e as { event: { type: string; sequence: number; data: never } }).event);
  }
}

/** Daily counters in memory. */
export class InMemoryDossierCodeCounter extends DossierCodeCounter {
  private readonly counts = new Map<string, number>();
  private readonly claimed = new Map<string, Set<number>>();

  override atLeast(agencyId: string, day: string, sequence: number): Promise<void> {
    const key = `${agencyId}|${day}`;
    this.counts.set(key, Math.max(this.counts.get(key) ?? 0, sequence));
    return Promise.resolve();
  }

  override claim(agencyId: string, day: string, sequence: number): Promise<boolean> {
    const key = `${agencyId}|${day}`;
    const claimed = this.claimed.get(key) ?? new Set<number>();
    if (!claimed.has(sequence) && (this.counts.get(key) ?? 0) >= sequence) return Promise.resolve(false);
    claimed.add(sequence);
    this.claimed.set(key, claimed);
    return Promise.resolve(true);
  }

  override next(agencyId: string, day: string): Promise<number> {
    const key = `${agencyId}|${day}`;
    let next = (this.counts.get(key) ?? 0) + 1;
    while (this.claimed.get(key)?.has(next)) next += 1;
    this.counts.set(key, next);
    return Promise.resolve(next);
  }
}
