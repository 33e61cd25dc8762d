import { parseArgs } from 'node:util';
import { issueDevelopmentToken, type DevelopmentTokenRequest } from '../development-keys';
import { SafeSubject, ServiceAudiences, WorkerRoles, type WorkerRole } from '../principal';

// `npm run -s token -- --client <clientId> --communes <code,code>`,
// `npm run -s token -- --worker <userId> --branch <branchCode> --roles officer,approver,supervisor` or
// `npm run -s token -- --operator <userId>`: prints a development token signed with the local key the services trust
// in development, and nothing else. `--audience` narrows it to some services (all four by default, ADR 0010).

const usage =
  'usage: npm run -s token -- --client <clientId> --communes <code,code> [--ttl <seconds>] [--audience <service,...>]\n' +
  '       npm run -s token -- --worker <userId> --branch <branchCode> --roles officer,approver,supervisor [--ttl <seconds>] [--audience <service,...>]\n' +
  '       npm run -s token -- --operator <userId> [--ttl <seconds>] [--audience <service,...>]';

/** Parses the command line into a token request; throws with the usage on anything else. */
export function parseTokenArgs(argv: string[]): {
  request: DevelopmentTokenRequest;
  ttlSec?: number;
  audience?: string[];
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      client: { type: 'string' },
      communes: { type: 'string' },
      worker: { type: 'string' },
      branch: { type: 'string' },
      roles: { type: 'string' },
      operator: { type: 'string' },
      ttl: { type: 'string' },
      audience: { type: 'string' },
    },
    strict: true,
  });
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const ttlSec = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttlSec !== undefined && !(Number.isInteger(ttlSec) && ttlSec > 0))
    throw new Error(`--ttl must be whole seconds\n${usage}`);
  const audience = values.audience === undefined ? undefined : list(values.audience);
  if (
    audience &&
    (audience.length === 0 || !audience.every((a) => (ServiceAudiences as readonly string[]).includes(a)))
  ) {
    throw new Error(`--audience must list some of ${ServiceAudiences.join(', ')}\n${usage}`);
  }
  const extra = { ...(ttlSec !== undefined ? { ttlSec } : {}), ...(audience ? { audience } : {}) };
  const kinds = [values.client, values.worker, values.operator].filter((v) => v !== undefined).length;
  if (kinds !== 1) throw new Error(usage);
  if (values.client) {
    const communes = list(values.communes);
    if (communes.length === 0 || !communes.every((c) => /^\d{5}$/.test(c))) {
      throw new Error(`--communes must list 5-digit commune codes\n${usage}`);
    }
    return { request: { client: values.client, communes }, ...extra };
  }
  if (values.worker) {
    const roles = list(values.roles);
    if (!values.branch) throw new Error(`--branch is required for a worker\n${usage}`);
    if (roles.length === 0 || !roles.every((r) => (WorkerRoles as readonly string[]).includes(r))) {
      throw new Error(`--roles must list some of ${WorkerRoles.join(', ')}\n${usage}`);
    }
    return { request: { worker: values.worker, branch: values.branch, roles: roles as WorkerRole[] }, ...extra };
  }
  if (!SafeSubject.test(values.operator ?? '')) {
    throw new Error(`--operator must be letters, digits or ._:@- (at most 128)\n${usage}`);
  }
  return { request: { operator: values.operator! }, ...extra };
}

if (require.main === module) {
  try {
    const { request, ttlSec, audience } = parseTokenArgs(process.argv.slice(2));
    process.stdout.write(`${issueDevelopmentToken(request, { ttlSec, audience })}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}
