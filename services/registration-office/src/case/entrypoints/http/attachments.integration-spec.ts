import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Connection } from 'mongoose';
import { AuthModule } from '@lienthong/auth';
import { createFileStore, FileStore, type FileStoreSettings } from '@lienthong/file-store';
import { Clock, newId, SystemClock } from '@lienthong/kernel';
import { connectMongo } from '@lienthong/persistence';
import { createValidationPipe, OUTBOX_RELAY, ProblemDetailsFilter } from '@lienthong/runtime';
import { devToken } from '@lienthong/testing';
import { caseReadyFor } from '../../../../test/case-fixtures';
import { referenceData } from '../../../../test/case-builder';
import { ATTACHMENT_MAX_BYTES, CaseAttachmentsHandler } from '../../application/attachments/case-attachments.handler';
import { CaseStore } from '../../application/case-store';
import { AttachmentStep, withAttachments } from '../../domain/case-attachments';
import { CaseReferenceData, CaseRepository } from '../../domain/case.ports';
import { MongoCaseRepository } from '../../infrastructure/mongo/mongo-case.repository';
import { AttachmentsController } from './attachments.controller';

// The attachments API over the real parts: the HTTP stack with the development keys, the case in FerretDB/MongoDB and
// the bytes in the S3-compatible object store of `npm run infra` (SeaweedFS), with the settings the services get from
// lt_service_env.

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const storeSettings: FileStoreSettings = {
  FILE_STORE: 's3',
  FILE_STORE_DIR: '.cache/files',
  S3_ENDPOINT: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:8333',
  S3_REGION: process.env.S3_REGION ?? 'us-east-1',
  S3_BUCKET: process.env.S3_BUCKET ?? 'lienthong-documents',
  S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID ?? 'lienthong-local',
  S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY ?? 'lienthong-local-secret',
  S3_FORCE_PATH_STYLE: 'true',
  S3_CONNECT_TIMEOUT_MS: 2_000,
  S3_REQUEST_TIMEOUT_MS: 30_000,
};
const maxBytes = 8 * 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const worker = (userId: string, branch: string, roles: ('officer' | 'approver' | 'supervisor')[] = ['officer']) => ({
  authorization: `Bearer ${devToken({ worker: userId, branch, roles })}`,
});

describe('attachments API (real object store, real FerretDB/MongoDB)', () => {
  let connection: Connection;
  let repository: MongoCaseRepository;
  let files: FileStore;
  let app: NestExpressApplication;
  let baseUrl: string;
  const branch = `IT-${newId().slice(-8).toUpperCase()}`;
  const code = `IT.${branch}-261123-0001`;
  const officer = worker('it-officer', branch);
  const submitted = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3 * 1024 * 1024)]);

  beforeAll(async () => {
    connection = await connectMongo({ url: mongoUrl, dbName: 'registration_office_it' });
    repository = new MongoCaseRepository(connection);
    await repository.onModuleInit();
    files = createFileStore(storeSettings);

    @Module({
      imports: [AuthModule],
      controllers: [AttachmentsController],
      providers: [
        CaseAttachmentsHandler,
        CaseStore,
        { provide: CaseRepository, useValue: repository },
        { provide: CaseReferenceData, useValue: referenceData },
        { provide: Clock, useClass: SystemClock },
        { provide: OUTBOX_RELAY, useValue: { relay: () => Promise.resolve(0) } },
        { provide: FileStore, useValue: files },
        { provide: ATTACHMENT_MAX_BYTES, useValue: maxBytes },
      ],
    })
    class AttachmentsTestModule {}

    app = await NestFactory.create<NestExpressApplication>(AttachmentsTestModule, {
      logger: false,
      bodyParser: false,
      abortOnError: false,
    });
    // As bootstrapHybridService configures it: JSON bodies only are parsed; a file streams through untouched.
    app.useBodyParser('json', {
      limit: '1mb',
      type: ['application/json', 'application/*+json'],
    });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as { address(): AddressInfo };
    baseUrl = `http://127.0.0.1:${server.address().port}`;

    // The case as it is once the dossier's file reached the store: ready for the certificate, claimed by the officer.
    await files.put(sha256(submitted), submitted, { maxBytes, mediaType: 'application/pdf' });
    const kase = caseReadyFor('ISSUE_CERTIFICATE', code);
    kase.branchCode = branch;
    kase.claim = { userId: 'it-officer', until: new Date(Date.now() + 3_600_000).toISOString() };
    kase.attachments = withAttachments(
      [],
      [
        {
          kind: 'TRANSFER_CONTRACT',
          mediaType: 'application/pdf',
          sizeBytes: submitted.length,
          sha256: sha256(submitted),
        },
      ],
      { addedWith: AttachmentStep.Submission },
      kase.arrivedAt,
      (kind) => referenceData.documentKindLabel(kind),
    );
    await repository.createIfAbsent(kase, []);
  });

  afterAll(async () => {
    await app?.close();
    await repository?.cases.deleteMany({ branchCode: branch });
    await connection?.close();
  });

  it('streams an attachment with its headers to a worker of the branch and audits the read; 404 to anyone else', async () => {
    const url = `${baseUrl}/v1/cases/${code}/attachments/${sha256(submitted)}`;
    const response = await fetch(url, { headers: officer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(submitted.length));
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="transfer-contract-${sha256(submitted).slice(0, 8)}.pdf"`,
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(submitted));
    const stored = await repository.findByCode(code);
    expect(stored!.audit.at(-1)).toMatchObject({ kind: 'DOWNLOAD', actor: 'it-officer', branch });

    const foreign = await fetch(url, { headers: worker('other', 'KH-VANNINH', ['officer', 'supervisor']) });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(url)).status).toBe(401);
    const notOfTheCase = `${baseUrl}/v1/cases/${code}/attachments/${'0'.repeat(64)}`;
    expect((await fetch(notOfTheCase, { headers: officer })).status).toBe(404);
  });

  it('takes a result scan streamed into the store, hash checked, within the size and type limits', async () => {
    const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5 * 1024 * 1024)]);
    const url = `${baseUrl}/v1/cases/${code}/attachments/${sha256(scan)}`;
    const put = (body: Buffer, type = 'application/pdf', headers: object = officer) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': type, ...headers }, body });

    const wrongType = await put(scan, 'application/zip');
    expect(wrongType.status).toBe(415);
    const wrongBytes = await put(scan.subarray(1));
    expect(wrongBytes.status).toBe(400);
    expect(await wrongBytes.json()).toMatchObject({ errors: [expect.objectContaining({ code: 'SHA256_MISMATCH' })] });
    const tooBig = Buffer.concat([scan, randomBytes(maxBytes)]);
    expect(
      (
        await fetch(`${baseUrl}/v1/cases/${code}/attachments/${sha256(tooBig)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/pdf', ...officer },
          body: tooBig,
        })
      ).status,
    ).toBe(413);
    expect(await files.has(sha256(scan))).toBe(false);
    expect(await files.has(sha256(tooBig))).toBe(false);
    expect((await put(scan, 'application/pdf', worker('it-colleague', branch))).status).toBe(409);

    const created = await put(scan);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      sha256: sha256(scan),
      kind: 'CERTIFICATE_SCAN',
      sizeBytes: scan.length,
      addedWith: 'LRO_RESULT',
      addedBy: 'it-officer',
    });
    expect((await put(scan)).status).toBe(200);
    const stored = await repository.findByCode(code);
    expect(stored!.attachments!.map((a) => a.addedWith)).toEqual(['SUBMISSION', 'LRO_RESULT']);
    expect(stored!.audit.filter((e) => e.kind === 'UPLOAD')).toHaveLength(1);

    const back = await fetch(url, { headers: officer });
    expect(sha256(Buffer.from(await back.arrayBuffer()))).toBe(sha256(scan));
  });
});
