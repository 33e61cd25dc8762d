import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { isDuplicateKeyError, outboxInsertFields, outboxMarkUpdate, withoutOutboxFields } from '@lienthong/persistence';
import { MONGO_CONNECTION } from '@lienthong/runtime';
import type { Connection, mongo } from 'mongoose';
import type { AuditEntry } from '../../domain/audit-chain';
import type { Case, ParkedVerdicts } from '../../domain/case';
import { CaseRepository, type CaseCursor, type WorklistQuery } from '../../domain/case.ports';

// `cases`: one document per dossier, `_id` = dossier code (the lookup FerretDB indexes), holding the case, its
// history, its audit trail (`audit`, with `auditLength`) and its pending events (`outbox`); every change is one
// single-document write, conditional on the version and the audit length read before (optimistic concurrency).
type CaseDocument = Case & { _id: string; outbox: unknown[]; auditLength: number };
// `parked_verdicts`: _id = dossier code; population-matching verdicts that came before their case.
type ParkedDocument = { _id: string; entries: ParkedVerdicts[] };

// Fields that may disappear from a case (a released claim).
const REMOVABLE = ['claim'] as const;
// The worklist and the dashboard read many cases: leave the long arrays in the database.
const LIST_PROJECTION = { audit: 0, outbox: 0, history: 0, documents: 0, attachments: 0, appliedKeys: 0 } as const;

/**
 * Indexes for the worklist and the clock watch (issue 5: 200,000 open cases). MongoDB walks them in order; the local
 * FerretDB does the same for the ones on top-level fields (ordered pushdown, ADR 0005 patch 4: the fields hold only
 * strings and booleans). The `_v2` names replace indexes that a FerretDB before that patch built on other
 * expressions; those are dropped at start (`LEGACY_CASE_INDEXES`).
 */
export const CASE_INDEXES: { key: Record<string, 1>; name: string }[] = [
  { key: { branchCode: 1, open: 1, dueAt: 1, _id: 1 }, name: 'worklist_by_due_v2' },
  { key: { branchCode: 1, open: 1, state: 1, dueAt: 1, _id: 1 }, name: 'worklist_by_state_v2' },
  { key: { branchCode: 1, open: 1, procedureCode: 1, dueAt: 1, _id: 1 }, name: 'worklist_by_procedure_v2' },
  { key: { branchCode: 1, open: 1, communeCode: 1, dueAt: 1, _id: 1 }, name: 'worklist_by_commune_v2' },
  { key: { branchCode: 1, open: 1, 'claim.userId': 1, dueAt: 1, _id: 1 }, name: 'worklist_by_claim_v2' },
  { key: { open: 1, dueAt: 1 }, name: 'clock_watch_v2' },
];
export const LEGACY_CASE_INDEXES = ['worklist_by_due', 'worklist_by_state', 'worklist_by_claim', 'clock_watch'];

@Injectable()
export class MongoCaseRepository extends CaseRepository implements OnModuleInit {
  private readonly logger = new Logger(MongoCaseRepository.name);
  /** The cases collection; the outbox relay reads and trims pending events there. */
  readonly cases: mongo.Collection<CaseDocument>;
  private readonly parked: mongo.Collection<ParkedDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    super();
    this.cases = connection.db!.collection<CaseDocument>('cases');
    this.parked = connection.db!.collection<ParkedDocument>('parked_verdicts');
  }

  override async parkVerdicts(dossierCode: string, parked: ParkedVerdicts): Promise<void> {
    await this.parked.updateOne({ _id: dossierCode }, { $push: { entries: parked } }, { upsert: true });
  }

  override async parkedVerdicts(dossierCode: string): Promise<ParkedVerdicts[]> {
    return (await this.parked.findOne({ _id: dossierCode }))?.entries ?? [];
  }

  async onModuleInit(): Promise<void> {
    try {
      const indexes = (await this.cases.listIndexes().toArray()) as { name?: unknown }[];
      const existing = new Set(indexes.map((i) => String(i.name)));
      for (const name of LEGACY_CASE_INDEXES.filter((n) => existing.has(n))) await this.cases.dropIndex(name);
    } catch (error) {
      // A new database has no collection yet (listIndexes answers NamespaceNotFound): nothing to drop.
      if ((error as { codeName?: string }).codeName !== 'NamespaceNotFound') {
        this.logger.warn(`legacy case indexes not dropped: ${String(error)}`);
      }
    }
    try {
      await this.cases.createIndexes(CASE_INDEXES);
    } catch (error) {
      this.logger.warn(`case indexes not created: ${String(error)}`);
    }
  }

  override async createIfAbsent(kase: Case, outbox: readonly unknown[]): Promise<boolean> {
    try {
      await this.cases.insertOne({
        _id: kase.dossierCode,
        ...kase,
        auditLength: kase.audit.length,
        ...outboxInsertFields(outbox),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  override async findByCode(dossierCode: string): Promise<Case | null> {
    const doc = await this.cases.findOne({ _id: dossierCode });
    // Documents written before the case had its clock (development data of an earlier version) are not cases.
    return doc?.clock ? toCase(doc) : null;
  }

  override async save(
    kase: Case,
    expected: { version: number; auditLength: number },
    audit: readonly AuditEntry[],
    outbox: readonly unknown[],
  ): Promise<boolean> {
    const { audit: _audit, ...fields } = kase;
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const unset = Object.fromEntries(REMOVABLE.filter((k) => kase[k] === undefined).map((k) => [k, '']));
    const result = await this.cases.updateOne(
      { _id: kase.dossierCode, version: expected.version, auditLength: expected.auditLength },
      {
        $set: { ...set, auditLength: expected.auditLength + audit.length },
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
        $push: { audit: { $each: [...audit] }, outbox: { $each: [...outbox] } },
        ...outboxMarkUpdate(outbox),
      } as mongo.UpdateFilter<CaseDocument>,
    );
    return result.matchedCount === 1;
  }

  override async appendAudit(
    dossierCode: string,
    expectedLength: number,
    audit: readonly AuditEntry[],
  ): Promise<boolean> {
    const result = await this.cases.updateOne(
      { _id: dossierCode, auditLength: expectedLength },
      {
        $set: { auditLength: expectedLength + audit.length },
        $push: { audit: { $each: [...audit] } },
      },
    );
    return result.matchedCount === 1;
  }

  override async worklist(query: WorklistQuery): Promise<Case[]> {
    const filter: mongo.Filter<CaseDocument> = { branchCode: query.branchCode, open: true };
    if (query.state) filter.state = query.state;
    if (query.procedureCode) filter.procedureCode = query.procedureCode;
    if (query.communeCode) filter.communeCode = query.communeCode;
    if (query.claimedBy) filter['claim.userId'] = query.claimedBy;
    // The range on dueAt is stated at the top level (the cursor's `$or` implies its lower bound) so that both
    // MongoDB and FerretDB's ordered pushdown start the index walk at the cursor instead of the branch's first case.
    const due: { $lt?: string; $gte?: string } = {};
    if (query.dueBefore) due.$lt = query.dueBefore.toISOString();
    if (query.after) {
      due.$gte = query.after.dueAt;
      filter.$or = [
        { dueAt: { $gt: query.after.dueAt } },
        { dueAt: query.after.dueAt, _id: { $gt: query.after.dossierCode } },
      ];
    }
    if (due.$lt !== undefined || due.$gte !== undefined) filter.dueAt = due;
    const docs = await this.cases
      .find(filter, { projection: LIST_PROJECTION })
      .sort({ dueAt: 1, _id: 1 })
      .limit(query.limit)
      .toArray();
    return docs.map(toCase);
  }

  override async dueBefore(dueBefore: Date, limit: number, after?: CaseCursor): Promise<Case[]> {
    // A case whose overdue alert already fired for its due date has nothing left to fire until that date moves
    // (an apology clears the marker): left out, so such cases never hold the front of the queue.
    const filter: mongo.Filter<CaseDocument> = {
      open: true,
      'alerts.overdueFor': { $exists: false },
      dueAt: after ? { $lt: dueBefore.toISOString(), $gte: after.dueAt } : { $lt: dueBefore.toISOString() },
    };
    if (after) filter.$or = [{ dueAt: { $gt: after.dueAt } }, { dueAt: after.dueAt, _id: { $gt: after.dossierCode } }];
    const docs = await this.cases
      .find(filter, { projection: { outbox: 0 } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toCase);
  }

  override async openCases(
    branchCode: string,
  ): Promise<Pick<Case, 'state' | 'communeCode' | 'clock' | 'dueAt' | 'open'>[]> {
    return this.cases
      .find(
        { branchCode, open: true },
        { projection: { _id: 0, state: 1, communeCode: 1, clock: 1, dueAt: 1, open: 1 } },
      )
      .toArray();
  }
}

function toCase(doc: CaseDocument): Case {
  const { _id: _code, auditLength: _length, ...kase } = withoutOutboxFields(doc);
  return { ...kase, audit: kase.audit ?? [] };
}
