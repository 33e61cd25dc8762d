import { parseArgs } from 'node:util';
import { issueDevelopmentToken, type DevelopmentTokenRequest } from '../development-keys';
import { WorkerRoles, type WorkerRole } from '../principal';

// `npm run -s token -- --client <clientId> --communes <code,code>` or
// `npm run -s token -- --worker <userId> --branch <branchCode> --roles officer,approver,supervisor`:
// prints a development token signed with the local key the services trust in development, and nothing else.

const usage =
  'usage: npm run -s token -- --client <clientId> --communes <code,code> [--ttl <seconds>]\n' +
  '       npm run -s token -- --worker <userId> --branch <branchCode> --roles officer,approver,supervisor [--ttl <seconds>]';

/** Parses the command line into a token request; throws with the usage on anything else. */
export function parseTokenArgs(argv: string[]): { request: DevelopmentTokenRequest; ttlSec?: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      client: { type: 'string' },
      communes: { type: 'string' },
      worker: { type: 'string' },
      branch: { type: 'string' },
      roles: { type: 'string' },
      ttl: { type: 'string' },
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
  if (values.client && !values.worker) {
    const communes = list(values.communes);
    if (communes.length === 0 || !communes.every((c) => /^\d{5}$/.test(c))) {
      throw new Error(`--communes must list 5-digit commune codes\n${usage}`);
    }
    return { request: { client: values.client, communes }, ttlSec };
  }
  if (values.worker && !values.client) {
    const roles = list(values.roles);
    if (!values.branch) throw new Error(`--branch is required for a worker\n${usage}`);
    if (roles.length === 0 || !roles.every((r) => (WorkerRoles as readonly string[]).includes(r))) {
      throw new Error(`--roles must list some of ${WorkerRoles.join(', ')}\n${usage}`);
    }
    return { request: { worker: values.worker, branch: values.branch, roles: roles as WorkerRole[] }, ttlSec };
  }
  throw new Error(usage);
}

if (require.main === module) {
  try {
    const { request, ttlSec } = parseTokenArgs(process.argv.slice(2));
    process.stdout.write(`${issueDevelopmentToken(request, { ttlSec })}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}
