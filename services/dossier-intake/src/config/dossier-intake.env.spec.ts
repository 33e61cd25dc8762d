import { ConfigError, loadConfig } from '@lienthong/config';
import { allowPrivateWebhookHosts, DossierIntakeEnv } from './dossier-intake.env';

describe('DossierIntakeEnv: loopback webhook targets', () => {
  const env = (vars: Record<string, string>) => loadConfig(DossierIntakeEnv, vars);

  it('are allowed in development unless switched off', () => {
    expect(allowPrivateWebhookHosts(env({ LIENTHONG_ENV: 'development' }))).toBe(true);
    expect(allowPrivateWebhookHosts(env({ LIENTHONG_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_HOSTS: 'false' }))).toBe(
      false,
    );
  });

  it('are off elsewhere, and asking for them there stops the service', () => {
    expect(allowPrivateWebhookHosts(env({ LIENTHONG_ENV: 'production' }))).toBe(false);
    expect(() =>
      allowPrivateWebhookHosts(env({ LIENTHONG_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' })),
    ).toThrow(ConfigError);
  });

  it('has no LIENTHONG_ENV default', () => {
    expect(() => env({})).toThrow(/LIENTHONG_ENV is required/);
  });
});
