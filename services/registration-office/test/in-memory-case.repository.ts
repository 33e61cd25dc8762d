import type { AuditEntry } from '../src/case/domain/audit-chain';
import type { Case, ParkedVerdicts } from '../src/case/domain/case';
import { CaseRepository, type CaseCursor, type WorklistQuery } from '../src/case/domain/case.ports';

/** CaseRepository in memory with the same conditional-write semantics as the Mongo one; records the outbox. */
export class InMemoryCaseRepository extends CaseRepository {
  readonly cases = new Map<string, Case>();
  readonly outbox: unknown[] = [];
  readonly parked = new Map<string, ParkedVerdicts[]>();

  override parkVerdicts(dossierCode: string, parked: ParkedVerdicts): Promise<void> {
    this.parked.set(dossierCode, [...(this.parked.get(dossierCode) ?? []), structuredClone(parked)]);
    return Promise.resolve();
  }

  override parkedVerdicts(dossierCode: string): Promise<ParkedVerdicts[]> {
    return Promise.resolve(structuredClone(this.parked.get(dossierCode) ?? []));
  }

  override createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean> {
    if (this.cases.has(kase.dossierCode)) return Promise.resolve(false);
    this.cases.set(kase.dossierCode, structuredClone(kase));
    this.outbox.push(...outbox);
    return Promise.resolve(true);
  }

  override findByCode(dossierCode: string): Promise<Case | null> {
    const kase = this.cases.get(dossierCode);
    return Promise.resolve(kase ? structuredClone(kase) : null);
  }

  override save(
    kase: Case,
    expected: { version: number; auditLength: number },
    audit: readonly AuditEntry[],
    outbox: readonly unknown[],
  ): Promise<boolean> {
    const stored = this.cases.get(kase.dossierCode);
    if (!stored || stored.version !== expected.version || stored.audit.length !== expected.auditLength) {
      return Promise.resolve(false);
    }
    this.cases.set(kase.dossierCode, structuredClone({ ...kase, audit: [...stored.audit, ...audit] }));
    this.outbox.push(...outbox);
    return Promise.resolve(true);
  }

  override appendAudit(dossierCode: string, expectedLength: number, audit: readonly AuditEntry[]): Promise<boolean> {
    const stored = this.cases.get(dossierCode);
    if (!stored || stored.audit.length !== expectedLength) return Promise.resolve(false);
    stored.audit = [...stored.audit, ...structuredClone(audit)];
    return Promise.resolve(true);
  }

  override worklist(query: WorklistQuery): Promise<Case[]> {
    const list = [...this.cases.values()]
      .filter((k) => k.branchCode === query.branchCode && k.open)
      .filter((k) => !query.state || k.state === query.state)
      .filter((k) => !query.procedureCode || k.procedureCode === query.procedureCode)
      .filter((k) => !query.communeCode || k.communeCode === query.communeCode)
      .filter((k) => !query.claimedBy || k.claim?.userId === query.claimedBy)
      .filter((k) => !query.dueBefore || k.dueAt < query.dueBefore.toISOString())
      .filter(
        (k) =>
          !query.after ||
          k.dueAt > query.after.dueAt ||
          (k.dueAt === query.after.dueAt && k.dossierCode > query.after.dossierCode),
      )
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.dossierCode.localeCompare(b.dossierCode));
    return Promise.resolve(structuredClone(list.slice(0, query.limit)));
  }

  override dueBefore(dueBefore: Date, limit: number, after?: CaseCursor): Promise<Case[]> {
    const list = [...this.cases.values()]
      .filter((k) => k.open && k.alerts.overdueFor === undefined && k.dueAt < dueBefore.toISOString())
      .filter((k) => !after || k.dueAt > after.dueAt || (k.dueAt === after.dueAt && k.dossierCode > after.dossierCode))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.dossierCode.localeCompare(b.dossierCode));
    return Promise.resolve(structuredClone(list.slice(0, limit)));
  }

  override openCases(branchCode: string): Promise<Case[]> {
    return Promise.resolve(
      structuredClone([...this.cases.values()].filter((k) => k.branchCode === branchCode && k.open)),
    );
  }
}
