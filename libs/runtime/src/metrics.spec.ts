import { MetricNames, ServiceMetrics } from './metrics';

describe('ServiceMetrics', () => {
  it('exposes Node metrics and a dead-letter counter that starts at 0 and counts letters', async () => {
    const metrics = new ServiceMetrics('registration-office');
    const first = await metrics.scrape();
    let body = first.body;
    expect(first.contentType).toMatch(/^text\/plain/);
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toContain(`${MetricNames.DeadLetters}{service="registration-office"} 0`);
    metrics.recordDeadLetter({ service: 'registration-office' });
    metrics.recordDeadLetter({ service: 'registration-office' });
    ({ body } = await metrics.scrape());
    expect(body).toContain(`${MetricNames.DeadLetters}{service="registration-office"} 2`);
  });

  it('has no outbox samples without an outbox, and reports the backlog aged to the scrape time', async () => {
    let now = Date.parse('2026-11-22T08:00:30Z');
    const metrics = new ServiceMetrics('dossier-intake', () => now);
    expect((await metrics.scrape()).body).not.toMatch(new RegExp(`^${MetricNames.OutboxPendingEvents}\\{`, 'm'));
    const stats = {
      pendingEvents: 3,
      oldestPendingAt: new Date('2026-11-22T08:00:00Z'),
      measuredAt: new Date('2026-11-22T08:00:29Z'),
    };
    metrics.observeOutbox(() => Promise.resolve(stats));
    let { body } = await metrics.scrape();
    expect(body).toContain(`${MetricNames.OutboxPendingEvents}{service="dossier-intake"} 3`);
    expect(body).toContain(`${MetricNames.OutboxOldestPendingAge}{service="dossier-intake"} 30`);
    now += 15_000;
    ({ body } = await metrics.scrape());
    expect(body).toContain(`${MetricNames.OutboxOldestPendingAge}{service="dossier-intake"} 45`);
    metrics.observeOutbox(() => Promise.resolve({ ...stats, pendingEvents: 0, oldestPendingAt: null }));
    ({ body } = await metrics.scrape());
    expect(body).toContain(`${MetricNames.OutboxPendingEvents}{service="dossier-intake"} 0`);
    expect(body).toContain(`${MetricNames.OutboxOldestPendingAge}{service="dossier-intake"} 0`);
  });

  it('serves the previous outbox reading, aged, when the database fails or does not answer in time', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      let now = Date.parse('2026-11-22T08:01:00Z');
      const metrics = new ServiceMetrics('dossier-intake', () => now);
      metrics.observeOutbox(() =>
        Promise.resolve({
          pendingEvents: 2,
          oldestPendingAt: new Date('2026-11-22T08:00:00Z'),
          measuredAt: new Date(now),
        }),
      );
      expect((await metrics.scrape()).body).toContain(
        `${MetricNames.OutboxOldestPendingAge}{service="dossier-intake"} 60`,
      );
      metrics.observeOutbox(() => Promise.reject(new Error('database down')));
      now += 60_000;
      expect((await metrics.scrape()).body).toContain(
        `${MetricNames.OutboxOldestPendingAge}{service="dossier-intake"} 120`,
      );
      metrics.observeOutbox(() => new Promise(() => undefined)); // never answers
      const scraping = metrics.scrape();
      await jest.advanceTimersByTimeAsync(3_000);
      expect((await scraping).body).toContain(`${MetricNames.OutboxPendingEvents}{service="dossier-intake"} 2`);
    } finally {
      jest.useRealTimers();
    }
  });

  it('lets two applications in one process keep separate registries', async () => {
    const a = new ServiceMetrics('notification');
    const b = new ServiceMetrics('notification');
    a.recordDeadLetter({ service: 'notification' });
    expect((await b.scrape()).body).toContain(`${MetricNames.DeadLetters}{service="notification"} 0`);
  });
});
