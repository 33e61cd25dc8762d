import { randomUUID } from 'node:crypto';
import {
  consumerGroup,
  createKafka,
  KafkaPublisher,
  ServiceNames,
  Topics,
  type EventEnvelope,
} from '@lienthong/messaging';
import { KafkaTestConsumer, waitFor } from '@lienthong/testing';
import { officeAuth } from '../support/office-auth';
import { intakeAuth } from '../support/dossier-body';
import { broker, brokers, groupLag, serviceProcess, submit, submittedEvent } from './fault-kit';

// Duplicates are absorbed, and nothing accepted while the broker is away is lost.

describe('duplicates and a broker outage', () => {
  const intake = serviceProcess('dossier-intake', 3221);
  const office = serviceProcess('registration-office', 3222);
  const caseEvents = new KafkaTestConsumer(brokers, [Topics.CaseEvents]);
  const publisher = new KafkaPublisher(createKafka({ clientId: 'fault-suite', brokers }));

  beforeAll(async () => {
    await Promise.all([caseEvents.start(), publisher.connect()]);
    await Promise.all([intake.start(), office.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([intake.stop(), office.stop(), caseEvents.stop(), publisher.disconnect()]);
  });

  async function settled(groupId: string, topic: string): Promise<void> {
    await waitFor(async () => (await groupLag(groupId, topic)) === 0, {
      timeoutMs: 60_000,
      description: `${groupId} caught up`,
    });
  }

  it('an event delivered 3 times has one effect', async () => {
    const code = `FAULT.DUP-${randomUUID()}`;
    const event = submittedEvent(code);
    for (let i = 0; i < 3; i += 1) await publisher.publish(Topics.DossierEvents, [event]);
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officeAuth() })).status === 200,
      {
        description: `case ${code}`,
      },
    );
    await settled(consumerGroup(ServiceNames.RegistrationOffice, Topics.DossierEvents), Topics.DossierEvents);
    const received = caseEvents.messages.filter((m) => m.key === code && m.headers.ce_type === 'case.received');
    console.log(`1 event delivered 3 times: ${received.length} case.received published`);
    expect(received).toHaveLength(1);
    const kase = (await (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officeAuth() })).json()) as {
      history: unknown[];
    };
    expect(kase.history).toHaveLength(1);
  });

  it('an event published twice, as by a relay killed between publish and removal, is applied once', async () => {
    const code = await submit(intake.baseUrl, `dup-relay-${randomUUID()}`);
    const received = await caseEvents.waitForMessage((m) => m.key === code && m.headers.ce_type === 'case.received');
    await waitFor(async () => {
      const body = (await (await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() })).json()) as {
        status: string;
      };
      return body.status === 'IN_PROGRESS';
    });
    // The relay's second publish of the same outbox entry: the very same envelope again.
    await publisher.publish(Topics.CaseEvents, [received.value as EventEnvelope]);
    await settled(consumerGroup(ServiceNames.DossierIntake, Topics.CaseEvents), Topics.CaseEvents);
    const dossier = (await (
      await fetch(`${intake.baseUrl}/v1/dossiers/${code}`, { headers: intakeAuth() })
    ).json()) as { history: unknown[] };
    expect(dossier.history).toHaveLength(2); // RECEIVED, then IN_PROGRESS once
  });

  it('a dossier accepted while the broker is down reaches the LRO after the broker returns', async () => {
    await broker('stop');
    let code: string;
    try {
      code = await submit(intake.baseUrl, `outage-${randomUUID()}`);
    } finally {
      await broker('restart');
    }
    await waitFor(
      async () => (await fetch(`${office.baseUrl}/v1/cases/${code}`, { headers: officeAuth() })).status === 200,
      {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        description: `case ${code} after the broker came back`,
      },
    );
  });
});
