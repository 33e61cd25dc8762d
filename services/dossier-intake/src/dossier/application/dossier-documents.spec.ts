import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEvent } from '@lienthong/event-contracts';
import { FsFileStore } from '@lienthong/file-store';
import { FixedClock, NotFoundError } from '@lienthong/kernel';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { receiveDossier, type Dossier } from '../domain/dossier';
import { applyCaseFact } from '../domain/dossier-lifecycle';
import { DossierView } from '../entrypoints/http/dossier.response';
import { InMemoryDossierRepository } from '../infrastructure/in-memory/in-memory-dossier.repository';
import { ReferenceDataSchedule } from '../infrastructure/reference-data/reference-data-schedule';
import { AnswerSupplementHandler } from './answer-supplement/answer-supplement.handler';
import { DossierChanges } from './change-dossier/dossier-changes';
import { DossierEventsRelay } from './dossier-events-relay';
import { ReadDocumentHandler } from './read-document/read-document.handler';

// The dossier's documents at intake: submitted, handed in with a supplement, sent back by the LRO. File names stay
// here; the events carry references only.

const schedule = new ReferenceDataSchedule(loadReferenceData(path.resolve(__dirname, '../../../../..')));
const clock = new FixedClock(new Date('2026-11-27T02:00:00Z'));
const ours = { clientId: 'one-stop-khanh-hoa', communes: ['22657'] };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

class NoRelay extends DossierEventsRelay {
  override relay = () => Promise.resolve(0);
}

const application = randomBytes(2000);
const consent = randomBytes(1500);
const certificate = randomBytes(4000);

function submitted(code: string): Dossier {
  const person = { fullName: 'Nguyễn Văn An', personalIdNumber: '056080001234', dateOfBirth: '1980-03-15' };
  return receiveDossier(
    {
      procedureCode: '1.013831',
      caseCode: 'TRANSFER',
      receivingUnitCode: '22657',
      channel: 'DIRECT',
      receivedAt: '2026-11-23T08:15:00+07:00',
      externalReference: { system: 'one-stop', id: code },
      applicant: { ...person, gender: 'MALE' },
      parties: [{ ...person, gender: 'MALE', role: 'TRANSFEROR' }],
      parcels: [{ communeCode: '22657', mapSheetNumber: '12', parcelNumber: '345', areaM2: 120.5, landUseCode: 'ONT' }],
      documents: [
        {
          kind: 'APPLICATION_FORM',
          fileName: 'don-nguyen-van-an.pdf',
          mediaType: 'application/pdf',
          sizeBytes: application.length,
          sha256: sha256(application),
        },
      ],
    },
    code,
    ours.clientId,
    new Date('2026-11-23T01:15:02Z'),
    { dueAt: '2026-12-03T08:15:00+07:00', timeLimit: { unit: 'WORKING_DAY', amount: 8 } },
  ).dossier;
}

function awaitingSupplement(code: string): Dossier {
  const inProgress = applyCaseFact(submitted(code), {
    type: 'case.received',
    sequence: 1,
    time: '2026-11-23T02:00:00Z',
    data: {},
  })!.dossier;
  return applyCaseFact(inProgress, {
    type: 'case.supplement-requested',
    sequence: 2,
    time: '2026-11-25T03:00:00Z',
    data: {
      portalStatusCode: 5,
      supplementRequestNumber: 1,
      reason: 'Thiếu văn bản đồng ý',
      missingDocuments: [{ componentCode: 'MORTGAGEE_CONSENT', name: 'Văn bản đồng ý của bên nhận thế chấp' }],
    },
  })!.dossier;
}

const certificateIssued = (sequence: number) => ({
  type: 'case.certificate-issued',
  sequence,
  time: '2026-12-01T03:00:00Z',
  data: {
    portalStatusCode: 9,
    at: '2026-12-01T03:00:00.000Z',
    certificateSerial: 'DA 01234567',
    certificateScan: {
      kind: 'CERTIFICATE_SCAN',
      mediaType: 'application/pdf',
      sizeBytes: certificate.length,
      sha256: sha256(certificate),
    },
  },
});

describe("the dossier's documents at intake", () => {
  let dossiers: InMemoryDossierRepository;
  let changes: DossierChanges;
  let dir: string;
  let files: FsFileStore;

  beforeEach(async () => {
    dossiers = new InMemoryDossierRepository();
    changes = new DossierChanges(dossiers, new NoRelay(), clock);
    dir = await mkdtemp(path.join(tmpdir(), 'intake-documents-'));
    files = new FsFileStore(dir);
    for (const bytes of [application, consent, certificate]) {
      await files.put(sha256(bytes), bytes, { maxBytes: 10_000 });
    }
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the file names of a supplement at intake and tells the LRO the references only', async () => {
    await dossiers.insert(awaitingSupplement('D-1'), []);
    const after = await new AnswerSupplementHandler(changes, schedule, clock).execute(
      {
        dossierCode: 'D-1',
        supplementRequestNumber: 1,
        documents: [
          {
            kind: 'MORTGAGEE_CONSENT',
            fileName: 'van-ban-dong-y-ngan-hang.pdf',
            mediaType: 'application/pdf',
            sizeBytes: consent.length,
            sha256: sha256(consent),
          },
          { kind: 'POWER_OF_ATTORNEY' },
        ],
      },
      ours,
    );
    expect(after.supplementDocuments).toEqual([
      {
        kind: 'MORTGAGEE_CONSENT',
        fileName: 'van-ban-dong-y-ngan-hang.pdf',
        mediaType: 'application/pdf',
        sizeBytes: consent.length,
        sha256: sha256(consent),
        supplementRequestNumber: 1,
        receivedAt: clock.now().toISOString(),
      },
    ]);
    const [event] = dossiers.eventsOf('D-1').map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
    expect(validateEvent(event as never)).toEqual([]);
    expect((event as { data: { documents: unknown } }).data.documents).toEqual([
      {
        componentCode: 'MORTGAGEE_CONSENT',
        name: 'Văn bản của bên nhận thế chấp đồng ý việc chuyển quyền',
        mediaType: 'application/pdf',
        sizeBytes: consent.length,
        sha256: sha256(consent),
      },
      { componentCode: 'POWER_OF_ATTORNEY', name: 'Văn bản ủy quyền' },
    ]);
    expect(JSON.stringify(event)).not.toContain('van-ban-dong-y');
  });

  it('records the certificate scan of case.certificate-issued as a result document, once', () => {
    const inProgress = applyCaseFact(submitted('D-2'), {
      type: 'case.received',
      sequence: 1,
      time: '2026-11-23T02:00:00Z',
      data: {},
    })!.dossier;
    const issued = applyCaseFact(inProgress, certificateIssued(2))!.dossier;
    expect(issued.status).toBe('PROCESSED');
    expect(issued.resultDocuments).toEqual([
      {
        kind: 'CERTIFICATE_SCAN',
        mediaType: 'application/pdf',
        sizeBytes: certificate.length,
        sha256: sha256(certificate),
        issuedAt: '2026-12-01T03:00:00.000Z',
        certificateSerial: 'DA 01234567',
      },
    ]);
    // A redelivery is skipped by its sequence; a later event naming the same scan does not list it twice.
    expect(applyCaseFact(issued, certificateIssued(2))).toBeNull();
    expect(applyCaseFact(issued, certificateIssued(3))!.dossier.resultDocuments).toHaveLength(1);
  });

  it('lists every document in GET /v1/dossiers/{code}, with the file names the intake system gave', async () => {
    await dossiers.insert(awaitingSupplement('D-3'), []);
    await new AnswerSupplementHandler(changes, schedule, clock).execute(
      {
        dossierCode: 'D-3',
        documents: [
          {
            kind: 'MORTGAGEE_CONSENT',
            fileName: 'dong-y.pdf',
            mediaType: 'application/pdf',
            sizeBytes: consent.length,
            sha256: sha256(consent),
          },
        ],
      },
      ours,
    );
    await changes.apply('D-3', (d) => applyCaseFact(d, certificateIssued(9)), { missing: 'ignore' });
    const view = DossierView.from((await dossiers.findByCode('D-3'))!, 9, clock.now());
    expect(view.documents.map((d) => [d.addedWith, d.kind, d.fileName, d.sha256])).toEqual([
      ['SUBMISSION', 'APPLICATION_FORM', 'don-nguyen-van-an.pdf', sha256(application)],
      ['SUPPLEMENT', 'MORTGAGEE_CONSENT', 'dong-y.pdf', sha256(consent)],
      [
        'LRO_RESULT',
        'CERTIFICATE_SCAN',
        `certificate-scan-${sha256(certificate).slice(0, 8)}.pdf`,
        sha256(certificate),
      ],
    ]);
    expect(view.documents[2]).toMatchObject({
      certificateSerial: 'DA 01234567',
      links: { content: `/v1/dossiers/D-3/documents/${sha256(certificate)}` },
    });
  });

  it("serves a listed document within the caller's communes, and nothing else of the store", async () => {
    const dossier = applyCaseFact(submitted('D-4'), certificateIssued(1))!.dossier;
    await dossiers.insert(dossier, []);
    const handler = new ReadDocumentHandler(dossiers, files);
    for (const [bytes, name] of [
      [application, 'don-nguyen-van-an.pdf'],
      [certificate, `certificate-scan-${sha256(certificate).slice(0, 8)}.pdf`],
    ] as const) {
      const opened = await handler.execute('D-4', sha256(bytes), ours);
      const chunks: Buffer[] = [];
      for await (const chunk of opened.body as AsyncIterable<Buffer>) chunks.push(chunk);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
      expect(opened).toMatchObject({ fileName: name, mediaType: 'application/pdf', sizeBytes: bytes.length });
    }
    // In the store, but not a document of this dossier.
    await expect(handler.execute('D-4', sha256(consent), ours)).rejects.toBeInstanceOf(NotFoundError);
    await expect(handler.execute('D-4', 'x', ours)).rejects.toBeInstanceOf(NotFoundError);
    const elsewhere = { clientId: 'one-stop-other', communes: ['21439'] };
    await expect(handler.execute('D-4', sha256(application), elsewhere)).rejects.toBeInstanceOf(NotFoundError);
  });
});
