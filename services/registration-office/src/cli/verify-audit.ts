import { connectMongo } from '@lienthong/persistence';
import type { mongo } from 'mongoose';
import { verifyAuditChain, type AuditBreak, type AuditEntry } from '../case/domain/audit-chain';

/** One case whose audit chain does not verify. */
export interface TamperedTrail {
  dossierCode: string;
  problems: AuditBreak[];
}

/**
 * Recomputes the hash chain of the audit trail of the given cases (all cases when `codes` is empty), reading them
 * one at a time. Returns the cases whose chain is broken, and how many were checked.
 */
export async function verifyAuditTrails(
  cases: mongo.Collection,
  codes: readonly string[],
): Promise<{ checked: number; tampered: TamperedTrail[] }> {
  const tampered: TamperedTrail[] = [];
  let checked = 0;
  const filter: mongo.Filter<mongo.Document> = codes.length > 0 ? { _id: { $in: [...codes] } as never } : {};
  const cursor = cases.find(filter, { projection: { audit: 1 } });
  for await (const doc of cursor) {
    checked += 1;
    const problems = verifyAuditChain((doc.audit as AuditEntry[] | undefined) ?? []);
    if (problems.length > 0) tampered.push({ dossierCode: String(doc._id), problems });
  }
  return { checked, tampered };
}

// `npm run -s audit:verify -- [dossierCode...]`: exits 0 when every chain verifies, 1 naming each tampered entry.
async function main(): Promise<void> {
  const codes = process.argv.slice(2);
  const connection = await connectMongo({
    url: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    dbName: process.env.MONGO_DB ?? 'registration_office',
  });
  try {
    const { checked, tampered } = await verifyAuditTrails(connection.db!.collection('cases'), codes);
    for (const trail of tampered) {
      for (const p of trail.problems)
        process.stdout.write(`TAMPERED ${trail.dossierCode} entry ${p.seq}: ${p.problem}\n`);
    }
    const missing = codes.length > 0 ? codes.length - checked : 0;
    if (missing > 0) process.stdout.write(`${missing} of the named cases were not found\n`);
    process.stdout.write(`${checked} audit trail(s) checked, ${tampered.length} tampered\n`);
    process.exitCode = tampered.length > 0 || missing > 0 ? 1 : 0;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`audit verification failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
