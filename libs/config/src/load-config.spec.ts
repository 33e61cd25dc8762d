import { IsInt, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

class ExampleEnv extends ServiceEnv {
  @IsInt()
  @Min(1)
  PORT: number = 3001;
}

describe('loadConfig', () => {
  it('applies defaults and converts strings to the declared types', () => {
    const config = loadConfig(ExampleEnv, { LIENTHONG_ENV: 'development', PORT: '3100' });
    expect(config.PORT).toBe(3100);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig(ExampleEnv, { PORT: '0', KAFKA_BROKERS: 'not a broker list', MONGO_URL: 'mongodb://h:1/db' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('KAFKA_BROKERS');
    expect(problems).toContain('MONGO_URL');
  });

  it('requires LIENTHONG_ENV, empty or unset, with a message saying what to set', () => {
    for (const env of [{}, { LIENTHONG_ENV: '' }]) {
      expect(() => loadConfig(ExampleEnv, env)).toThrow(ConfigError);
      expect(() => loadConfig(ExampleEnv, env)).toThrow(
        /LIENTHONG_ENV is required: set it to development on a workstation/,
      );
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(ExampleEnv, { LIENTHONG_ENV: 'production', HOST: '' }).HOST).toBe('127.0.0.1');
  });
});
