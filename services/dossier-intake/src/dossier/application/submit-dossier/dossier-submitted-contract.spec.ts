import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEvent, type CloudEventEnvelopeV1, type DossierSubmittedV1 } from '@lienthong/event-contracts';
import { FixedClock } from '@lienthong/kernel';
import type { OutboxEntry } from '@lienthong/messaging';
import type { Dossier } from '../../domain/dossier';
import { DossierCodeCounter } from '../../domain/dossier.ports';
import { FsFileStore } from '@lienthong/file-store';
import { HttpDocumentSource } from '../../infrastructure/files/http-document-source';
import { InMemoryDossierRepository } from '../../infrastructure/in-memory/in-memory-dossier.repository';
import { DossierEventsRelay } from '../dossier-events-relay';
import { SubmitDossierCommand } from './submit-dossier.command';
import { SubmitDossierHandler } from './submit-dossier.handler';
import { loadReferenceData } from '@lienthong/statutory-clock';
import { ReferenceDataLookups } from '../../infrastructure/reference-data/reference-data-lookups';
import { ReferenceDataSchedule } from '../../infrastructure/reference-data/reference-data-schedule';

// The real catalogue and calendar (contracts/reference-data), read from the repository.
const referenceData = loadReferenceData(path.resolve(__dirname, '../../../../../..'));
const schedule = new ReferenceDataSchedule(referenceData);
const lookups = new ReferenceDataLookups(referenceData);

// The golden example of contracts/events: the producer must publish exactly its payload for the same submission.
const golden = JSON.parse(
  readFileSync(
    path.resolve(__dirname, '../../../../../../contracts/events/examples/dossier-submitted.v1.json'),
    'utf8',
  ),
) as CloudEventEnvelopeV1 & { data: DossierSubmittedV1 };

/** Stores nothing but the outbox: every submission is the first with its key and reference. */
class OutboxCapture extends InMemoryDossierRepository {
  readonly outbox: unknown[] = [];
  override insert(_dossier: Dossier, outbox: readonly unknown[]): Promise<boolean> {
    this.outbox.push(...outbox);
    return Promise.resolve(true);
  }
}

describe('dossier.submitted as SubmitDossierHandler publishes it', () => {
  it('satisfies the contract and equals the golden example', async () => {
    const dossiers = new OutboxCapture();
    const handler = new SubmitDossierHandler(
      dossiers,
      new (class extends DossierCodeCounter {
        override next = () => Promise.resolve(1);
        override atLeast = () => Promise.resolve();
        override claim = () => Promise.resolve(true);
      })(),
      { agencyFor: (commune) => (commune === '22657' ? '000.00.56.H42' : undefined) },
      new (class extends DossierEventsRelay {
        override relay = () => Promise.resolve(1);
      })(),
      schedule,
      new FixedClock(new Date(golden.time)),
      lookups,
      new FsFileStore(path.join(tmpdir(), `intake-contract-${randomUUID()}`)),
      new HttpDocumentSource({ allowedHosts: new Set(), allowLoopbackHttp: false, timeoutMs: 1_000 }),
    );
    const { dossierCode: _code, clientId, ...asSubmitted } = golden.data;
    // The intake system also sends each file's name; the event leaves it out.
    const documents = asSubmitted.documents?.map((d, i) => ({ ...d, fileName: `tep-${i}.pdf` }));
    const submission = { ...asSubmitted, documents, externalReference: { system: 'one-stop-khanh-hoa', id: 'BN-1' } };

    await handler.execute(new SubmitDossierCommand(clientId!, 'k1', submission));

    const [entry] = dossiers.outbox as OutboxEntry[];
    // What goes on the wire is JSON: absent optional fields must not appear as `undefined`.
    const event = JSON.parse(JSON.stringify(entry!.event)) as CloudEventEnvelopeV1;
    expect(validateEvent(event)).toEqual([]);
    expect(event.data).toEqual(golden.data);
    expect(JSON.stringify(event)).not.toContain('tep-0.pdf');
    expect(event).toMatchObject({
      type: golden.type,
      subject: golden.subject,
      sequence: 1,
      dataschema: golden.dataschema,
    });
  });
});
