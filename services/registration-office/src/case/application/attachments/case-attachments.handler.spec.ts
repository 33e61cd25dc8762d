import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ForbiddenException } from '@nestjs/common';
import {
  FileHashMismatchError,
  FileStoreUnavailableError,
  FileTooLargeError,
  FsFileStore,
} from '@lienthong/file-store';
import { NotFoundError } from '@lienthong/kernel';
import type { EventEnvelope } from '@lienthong/messaging';
import { caseAfter, caseReadyFor, testStore } from '../../../../test/case-fixtures';
import { AttachmentStep, withAttachments } from '../../domain/case-attachments';
import { SystemAction, TransitionRefusedError } from '../../domain/case-workflow';
import { ApplyDossierEventHandler } from '../apply-dossier-event/apply-dossier-event.handler';
import { CaseAttachmentsHandler } from './case-attachments.handler';

const code = '000.00.56.H42-261123-0001';
const officer = { userId: 'officer-1', branch: 'KH-DIENKHANH', roles: ['officer' as const] };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('CaseAttachmentsHandler', () => {
  let dir: string;
  let files: FsFileStore;
  const submitted = randomBytes(3000);
  const scan = randomBytes(5000);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lro-attachments-'));
    files = new FsFileStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A case ready for ISSUE_CERTIFICATE, claimed by officer-1, with one submitted file (stored). */
  async function setUp(options: { store?: boolean } = {}) {
    const fixtures = testStore('2026-12-01T02:00:00.000Z');
    const kase = caseReadyFor('ISSUE_CERTIFICATE', code);
    kase.claim = { userId: officer.userId, until: '2026-12-01T06:00:00.000Z' };
    kase.attachments = withAttachments(
      [],
      [
        {
          kind: 'APPLICATION_FORM',
          mediaType: 'application/pdf',
          sizeBytes: submitted.length,
          sha256: sha256(submitted),
        },
      ],
      { addedWith: AttachmentStep.Submission },
      kase.arrivedAt,
      () => undefined,
    );
    await fixtures.repository.createIfAbsent(kase, []);
    if (options.store !== false) {
      await files.put(sha256(submitted), submitted, { maxBytes: 10_000 });
    }
    const handler = new CaseAttachmentsHandler(fixtures.store, files, 10_000);
    const trail = async () => (await fixtures.repository.findByCode(code))!.audit;
    return { ...fixtures, handler, trail };
  }

  describe('open', () => {
    it("streams an attachment to a worker of the case's branch, under a generated name, and audits the read", async () => {
      const { handler, trail } = await setUp();
      const file = await handler.open(code, sha256(submitted), officer);
      expect(await bytesOf(file.body)).toEqual(submitted);
      expect(file).toMatchObject({
        sizeBytes: submitted.length,
        fileName: `application-form-${sha256(submitted).slice(0, 8)}.pdf`,
        attachment: { mediaType: 'application/pdf', addedWith: 'SUBMISSION' },
      });
      expect((await trail()).at(-1)).toMatchObject({
        kind: 'DOWNLOAD',
        actor: 'officer-1',
        branch: 'KH-DIENKHANH',
        what: `GET attachment ${sha256(submitted)}`,
      });
    });

    it('is a 404 for another branch, a hash that is not an attachment of the case, and a file not stored yet', async () => {
      const { handler, trail } = await setUp();
      const before = (await trail()).length;
      const other = { userId: 'o', branch: 'KH-VANNINH', roles: ['officer' as const, 'supervisor' as const] };
      await expect(handler.open(code, sha256(submitted), other)).rejects.toBeInstanceOf(NotFoundError);
      // Stored in the shared store, but not a file of this case.
      await files.put(sha256(scan), scan, { maxBytes: 10_000 });
      await expect(handler.open(code, sha256(scan), officer)).rejects.toBeInstanceOf(NotFoundError);
      await expect(handler.open(code, 'not-a-hash', officer)).rejects.toBeInstanceOf(NotFoundError);
      expect((await trail()).length).toBe(before);

      const pending = await setUpFresh();
      await expect(pending.handler.open(code, sha256(submitted), officer)).rejects.toBeInstanceOf(NotFoundError);
    });

    async function setUpFresh() {
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(path.join(tmpdir(), 'lro-attachments-'));
      files = new FsFileStore(dir);
      return setUp({ store: false });
    }
  });

  describe('upload', () => {
    const upload = (over: Partial<Parameters<CaseAttachmentsHandler['upload']>[0]> = {}) => ({
      dossierCode: code,
      sha256: sha256(scan),
      mediaType: 'application/pdf',
      body: Readable.from([scan.subarray(0, 1000), scan.subarray(1000)]),
      worker: officer,
      ...over,
    });

    it('stores a result scan, records it as an LRO result with the audit entry, and is idempotent', async () => {
      const { handler, trail, repository } = await setUp();
      const first = await handler.upload(upload());
      expect(first.created).toBe(true);
      expect(first.attachment).toMatchObject({
        sha256: sha256(scan),
        kind: 'CERTIFICATE_SCAN',
        label: { vi: expect.stringContaining('Giấy chứng nhận') },
        sizeBytes: scan.length,
        addedWith: 'LRO_RESULT',
        addedBy: 'officer-1',
      });
      expect(await bytesOf((await files.open(sha256(scan)))!.body)).toEqual(scan);
      expect((await trail()).at(-1)).toMatchObject({ kind: 'UPLOAD', actor: 'officer-1' });

      const again = await handler.upload(upload());
      expect(again.created).toBe(false);
      const kase = (await repository.findByCode(code))!;
      expect(kase.attachments!.map((a) => a.addedWith)).toEqual(['SUBMISSION', 'LRO_RESULT']);
      expect(kase.audit.filter((e) => e.kind === 'UPLOAD')).toHaveLength(1);
    });

    it('stores nothing and records nothing for bytes of another hash or over the size limit', async () => {
      const { handler, repository } = await setUp();
      const other = randomBytes(100);
      await expect(handler.upload(upload({ body: Readable.from([other]) }))).rejects.toBeInstanceOf(
        FileHashMismatchError,
      );
      const big = randomBytes(10_001);
      await expect(handler.upload(upload({ sha256: sha256(big), body: Readable.from([big]) }))).rejects.toBeInstanceOf(
        FileTooLargeError,
      );
      await expect(
        handler.upload(upload({ sha256: sha256(big), body: Readable.from([big]), declaredBytes: big.length })),
      ).rejects.toBeInstanceOf(FileTooLargeError);
      expect(await files.has(sha256(scan))).toBe(false);
      expect(await files.has(sha256(big))).toBe(false);
      expect((await repository.findByCode(code))!.attachments).toHaveLength(1);
    });

    it('needs a worker who may hold cases, holding the claim of the open case, of its branch', async () => {
      const { handler, repository } = await setUp();
      const supervisor = { userId: 'sup', branch: 'KH-DIENKHANH', roles: ['supervisor' as const] };
      await expect(handler.upload(upload({ worker: supervisor }))).rejects.toBeInstanceOf(ForbiddenException);
      const colleague = { ...officer, userId: 'officer-2' };
      await expect(handler.upload(upload({ worker: colleague }))).rejects.toBeInstanceOf(TransitionRefusedError);
      const foreign = { ...officer, branch: 'KH-VANNINH' };
      await expect(handler.upload(upload({ worker: foreign }))).rejects.toBeInstanceOf(NotFoundError);
      await expect(handler.upload(upload({ kind: 'SELFIE' }))).rejects.toThrow('cannot be taken');
      expect(await files.has(sha256(scan))).toBe(false);
      const kase = (await repository.findByCode(code))!;
      repository.cases.set(code, { ...kase, open: false, state: 'RESULT_RETURNED' });
      await expect(handler.upload(upload())).rejects.toBeInstanceOf(TransitionRefusedError);
    });
  });

  it('answers the store being down as unavailable (503) and records no read and no upload', async () => {
    const { store, repository, trail } = await setUp();
    const down = new (class extends FsFileStore {
      override open(): Promise<never> {
        return Promise.reject(new FileStoreUnavailableError('connection refused'));
      }
      override put(): Promise<never> {
        return Promise.reject(new FileStoreUnavailableError('connection refused'));
      }
    })(dir);
    const handler = new CaseAttachmentsHandler(store, down, 10_000);
    const before = (await trail()).length;
    await expect(handler.open(code, sha256(submitted), officer)).rejects.toBeInstanceOf(FileStoreUnavailableError);
    await expect(
      handler.upload({
        dossierCode: code,
        sha256: sha256(scan),
        mediaType: 'application/pdf',
        body: Readable.from([scan]),
        worker: officer,
      }),
    ).rejects.toBeInstanceOf(FileStoreUnavailableError);
    expect((await trail()).length).toBe(before);
    expect((await repository.findByCode(code))!.attachments).toHaveLength(1);
  });

  it('adds the files handed in with a supplement to the attachments, once per hash', async () => {
    const { store, repository } = testStore('2026-11-24T02:00:00.000Z');
    const waiting = caseAfter(['ASSIGN', 'START_REVIEW', 'REQUEST_SUPPLEMENT'], { dossierCode: code });
    waiting.attachments = withAttachments(
      [],
      [{ kind: 'APPLICATION_FORM', mediaType: 'application/pdf', sizeBytes: 1, sha256: sha256(submitted) }],
      { addedWith: AttachmentStep.Submission },
      waiting.arrivedAt,
      () => undefined,
    );
    await repository.createIfAbsent(waiting, []);
    const apply = new ApplyDossierEventHandler(store);
    const event = { subject: code, sequence: 5, type: 'dossier.supplemented', id: 'e', correlationId: 'c' };
    const contract = { kind: 'TRANSFER_CONTRACT', mediaType: 'image/png', sizeBytes: 77, sha256: 'c'.repeat(64) };
    const repeated = {
      kind: 'APPLICATION_FORM',
      mediaType: 'application/pdf',
      sizeBytes: 1,
      sha256: sha256(submitted),
    };
    await apply.execute(event as EventEnvelope, SystemAction.SupplementReceived, undefined, {
      supplementRequestNumber: 1,
      files: [contract, repeated],
    });
    const after = (await repository.findByCode(code))!;
    expect(after.attachments!.map((a) => [a.kind, a.addedWith, a.supplementRequestNumber])).toEqual([
      ['APPLICATION_FORM', 'SUBMISSION', undefined],
      ['TRANSFER_CONTRACT', 'SUPPLEMENT', 1],
    ]);
    expect(after.attachments![1]!.label.en).toContain('Contract');
  });
});
