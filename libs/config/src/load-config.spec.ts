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
    const config = loadConfig(ExampleEnv, { PORT: '3100' });
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

  it('treats empty strings as unset', () => {
    expect(loadConfig(ExampleEnv, { HOST: '' }).HOST).toBe('127.0.0.1');
  });
});
