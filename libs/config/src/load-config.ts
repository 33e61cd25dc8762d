import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Raised at start-up when the environment does not satisfy a service's env class; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function listProblems(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((message) => `${prefix}${message}`),
    ...listProblems(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/**
 * Reads `env` into an instance of `envClass`, converting strings to the declared types and applying the class's
 * defaults, then validates it with class-validator. Unknown variables are ignored (the process environment holds
 * many); a missing or malformed known one stops the service before it listens.
 */
export function loadConfig<T extends object>(envClass: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(envClass, defined, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigError(listProblems(errors));
  return config;
}
