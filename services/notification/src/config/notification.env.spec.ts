import { ConfigError, loadConfig } from '@lienthong/config';
import { allowLoopbackWebhookTargets, NotificationEnv } from './notification.env';

describe('NotificationEnv: loopback webhook targets', () => {
  const env = (vars: Record<string, string>) => loadConfig(NotificationEnv, vars);

  it('are allowed only when asked for, in development', () => {
    expect(allowLoopbackWebhookTargets(env({ LIENTHONG_ENV: 'development' }))).toBe(false);
    expect(
      allowLoopbackWebhookTargets(env({ LIENTHONG_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
    ).toBe(true);
  });

  it('stop the service when asked for outside development', () => {
    expect(allowLoopbackWebhookTargets(env({ LIENTHONG_ENV: 'production' }))).toBe(false);
    expect(() =>
      allowLoopbackWebhookTargets(env({ LIENTHONG_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })),
    ).toThrow(ConfigError);
  });
});
