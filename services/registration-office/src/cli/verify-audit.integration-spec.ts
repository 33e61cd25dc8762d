import { newId } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import type { Connection } from 'mongoose';
import { caseAfter } from '../../test/case-fixtures';
import { MongoCaseRepository } from '../case/infrastructure/mongo/mongo-case.repository';
import { verifyAuditTrails } from './verify-audit';

describe('audit verification command (real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoCaseRepository;
  const branch = `IT-${newId().slice(-8).toUpperCase()}`;
  const codes = [1, 2].map((n) => `AU.${branch}-261123-000${n}`);

  beforeAll(async () => {
    connection = await connectMongo({
      url: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
      dbName: 'registration_office_it',
    });
    repository = new MongoCaseRepository(connection);
    for (const code of codes) {
      const kase = caseAfter(['ASSIGN', 'START_REVIEW', 'REQUEST_SUPPLEMENT'], {
        dossierCode: code,
        branchCode: branch,
      });
      await repository.createIfAbsent(kase, []);
    }
  });
  afterAll(async () => {
    await repository?.cases.deleteMany({ branchCode: branch });
    await connection?.close();
  });

  it('passes intact trails and names the tampered entry of an edited one', async () => {
    expect(await verifyAuditTrails(repository.cases as never, codes)).toEqual({ checked: 2, tampered: [] });
    // Someone with database access rewrites who requested the supplement.
    await repository.cases.updateOne({ _id: codes[1]! }, { $set: { 'audit.3.actor': 'someone-else' } });
    const result = await verifyAuditTrails(repository.cases as never, codes);
    expect(result.checked).toBe(2);
    expect(result.tampered).toEqual([{ dossierCode: codes[1], problems: [{ seq: 4, problem: 'HASH_MISMATCH' }] }]);
  });
});
