import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDossierSubmittedV1, validateEvent, type CloudEventEnvelopeV1 } from '@lienthong/event-contracts';
import { FixedClock } from '@lienthong/kernel';
import type { OutboxEntry } from '@lienthong/messaging';
import { referenceData } from '../../../../test/case-builder';
import { InMemoryCaseRepository } from '../../../../test/in-memory-case.repository';
import { BranchDirectory, ReceiveCaseHandler } from './receive-case.handler';

// Consumer and producer side of the golden examples: the handler consumes the dossier.submitted example and must
// publish the case.received example.
const golden = (type: string) =>
  JSON.parse(
    readFileSync(
      path.resolve(__dirname, `../../../../../../contracts/events/examples/${type.replace('.', '-')}.v1.json`),
      'utf8',
    ),
  ) as CloudEventEnvelopeV1;
const submitted = golden('dossier.submitted');
const received = golden('case.received');

async function publish(branch: string | undefined): Promise<CloudEventEnvelopeV1> {
  const cases = new InMemoryCaseRepository();
  const branches = new (class extends BranchDirectory {
    override branchOfCommune = () => (branch ? { code: branch, name: branch, provinceCode: '56' } : undefined);
    override branch = () => undefined;
  })();
  const handler = new ReceiveCaseHandler(cases, branches, new FixedClock(new Date(received.time)), referenceData);
  await handler.execute(submitted, parseDossierSubmittedV1(submitted.data));
  const [entry] = cases.outbox as OutboxEntry[];
  // What goes on the wire is JSON: an absent branch must not appear as `undefined`.
  return JSON.parse(JSON.stringify(entry!.event)) as CloudEventEnvelopeV1;
}

describe('case.received as ReceiveCaseHandler publishes it', () => {
  it('satisfies the contract and equals the golden example, caused by the dossier.submitted example', async () => {
    const event = await publish('VPDK-KH-CN-NT');
    expect(validateEvent(event)).toEqual([]);
    expect(event.data).toEqual(received.data);
    expect(event).toMatchObject({
      type: received.type,
      subject: received.subject,
      sequence: 1,
      correlationId: submitted.correlationId,
      causationId: submitted.id,
    });
  });

  it('satisfies the contract when no branch serves the commune', async () => {
    const event = await publish(undefined);
    expect(validateEvent(event)).toEqual([]);
    expect(event.data).not.toHaveProperty('branchCode');
  });
});
