import { randomUUID } from 'node:crypto';
import { deadLetterTopic, ServiceNames, Topics } from '@lienthong/messaging';
import { KafkaTestConsumer, waitFor } from '@lienthong/testing';
import { broker, brokers, casesPresent, faultScale, pool, serviceProcess, submit } from './fault-kit';

// N dossiers (FAULT_DOSSIERS; the issue asks for 1,000) submitted while the LRO service is SIGKILLed 5 times at random
// and the broker restarts once: exactly N cases, none twice, none dead-lettered.

const total = faultScale;
const kills = 5;

describe('crashes and a broker restart under load', () => {
  const intake = serviceProcess('dossier-intake', 3211);
  const office = serviceProcess('registration-office', 3212);
  const caseEvents = new KafkaTestConsumer(brokers, [Topics.CaseEvents]);
  const deadLetters = new KafkaTestConsumer(brokers, [deadLetterTopic(ServiceNames.RegistrationOffice)]);

  beforeAll(async () => {
    await Promise.all([caseEvents.start(), deadLetters.start()]);
    await Promise.all([intake.start(), office.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([intake.stop(), office.stop(), caseEvents.stop(), deadLetters.stop()]);
  });

  it('creates every case exactly once', async () => {
    // Fault points: submission counts at which the LRO service is killed, and one for the broker restart.
    const killAt = Array.from({ length: kills }, () => Math.floor(total * (0.05 + 0.8 * Math.random()))).sort(
      (a, b) => a - b,
    );
    const restartBrokerAt = Math.floor(total * (0.1 + 0.7 * Math.random()));
    let submitted = 0;
    // A kill due while the previous restart is still under way waits for it, so every kill hits a running service.
    let crashes: Promise<void> = Promise.resolve();
    let brokerRestart: Promise<void> = Promise.resolve();
    const onSubmitted = (): void => {
      submitted += 1;
      while (killAt.length > 0 && submitted >= killAt[0]!) {
        killAt.shift();
        crashes = crashes.then(async () => {
          await office.kill();
          await office.start(120_000);
        });
      }
      if (submitted === restartBrokerAt) brokerRestart = broker('restart');
    };
    const started = Date.now();
    const run = randomUUID().slice(0, 8);
    const codes = await pool(total, 8, async (i) => {
      const code = await submit(intake.baseUrl, `crash-${run}-${i}`);
      onSubmitted();
      return code;
    });
    await Promise.all([crashes, brokerRestart]);
    const submittedMs = Date.now() - started;

    expect(new Set(codes).size).toBe(total);
    const present = await waitFor(
      async () => {
        const found = await casesPresent(office.baseUrl, codes);
        return found.size === total ? found : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 2_000, description: `all ${total} cases at registration-office` },
    );
    const ours = new Set(codes);
    await waitFor(
      () => new Set(caseEvents.messages.filter((m) => m.key && ours.has(m.key)).map((m) => m.key)).size === total,
      {
        timeoutMs: 60_000,
        description: 'a case.received event for every dossier',
      },
    );
    const received = caseEvents.messages.filter(
      (m) => m.key !== null && ours.has(m.key) && m.headers.ce_type === 'case.received',
    );
    const distinct = new Set(received.map((m) => m.key));
    const dead = deadLetters.messages.filter((m) => {
      const letter = m.value as { key?: string };
      return letter.key !== undefined && ours.has(letter.key);
    });
    console.log(
      `submitted ${total} in ${submittedMs} ms with ${kills} SIGKILLs of registration-office and 1 broker restart: ` +
        `${present.size} cases, ${distinct.size} dossiers with case.received (${received.length - distinct.size} duplicate publishes absorbed), ` +
        `${dead.length} dead letters`,
    );
    expect(present.size).toBe(total);
    expect(dead).toHaveLength(0);
  });
});
