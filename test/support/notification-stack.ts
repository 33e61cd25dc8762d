import { Queue } from 'bullmq';
import { createKafka } from '@lienthong/messaging';
import { ServiceProcess, startSandbox, type SandboxProcess } from '@lienthong/testing';

/** Notification's consumer group on intake's topics (the journeys wait until it has caught up). */
export const notificationDossierGroup = 'notification.dossier-intake-dossier';

/** Messages of `topic` that the consumer group `groupId` has not processed yet. */
export async function consumerLag(brokers: string[], topic: string, groupId: string): Promise<number> {
  const admin = createKafka({ clientId: 'journey-lag', brokers }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.reduce((sum, { partition, high }) => {
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return sum + Number(high) - Math.max(0, Number(offset));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** dossier-intake, registration-office and notification as processes, with the channel sandboxes they deliver to. */
export interface NotificationStack {
  sms: SandboxProcess;
  zalo: SandboxProcess;
  smtp: SandboxProcess & { smtpPort?: number };
  hooks: SandboxProcess;
  intake: ServiceProcess;
  office: ServiceProcess;
  notification: ServiceProcess;
  /** Stops the services, then the sandboxes, and removes the journey's own delivery queue. */
  stop(): Promise<void>;
}

export interface NotificationStackOptions {
  root: string;
  logDir: string;
  /** Environment of all three services. */
  env: Record<string, string>;
  /** Extra environment of registration-office (e.g. a faster clock watch). */
  officeEnv?: Record<string, string>;
  ports: { intake: number; office: number; notification: number };
  /** A delivery queue of the journey's own, so no other run's jobs are mixed in. */
  queueName: string;
}

/**
 * Starts the sandboxes of the citizen's channels and of the intake system's webhook receiver, then the three services
 * wired to them. Black box: the journey observes deliveries through the sandboxes' inspection APIs.
 */
export async function startNotificationStack(options: NotificationStackOptions): Promise<NotificationStack> {
  const { root, logDir, env, ports, queueName } = options;
  const [sms, zalo, smtp, hooks] = await Promise.all([
    startSandbox('sms-gateway'),
    startSandbox('zalo-zns'),
    startSandbox('smtp'),
    startSandbox('intake-webhook-receiver'),
  ]);
  const service = (name: string, port: number, extra: Record<string, string> = {}) =>
    new ServiceProcess({ name, port, root, logDir, env: { ...env, ...extra } });
  const intake = service('dossier-intake', ports.intake);
  const office = service('registration-office', ports.office, options.officeEnv);
  const notification = service('notification', ports.notification, {
    SMS_PROVIDERS: `primary=${sms.url}/providers/primary/messages`,
    ZALO_ZNS_URL: `${zalo.url}/message/template`,
    SMTP_PORT: String((smtp as { smtpPort?: number }).smtpPort),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    DELIVERY_QUEUE: queueName,
  });
  const stop = async () => {
    await Promise.allSettled([intake, office, notification].map((s) => s.stop()));
    await Promise.allSettled([sms, zalo, smtp, hooks].map((s) => s.stop()));
    const queue = new Queue(queueName, {
      connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null },
    });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  };
  try {
    await Promise.all([intake.start(), office.start(), notification.start()]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { sms, zalo, smtp, hooks, intake, office, notification, stop };
}
