/**
 * Imports a backlog file (NDJSON: one canonical submission with its original `dossierCode` per line) into
 * dossier-intake through `POST /v1/dossiers:import`, streaming it with a progress bar on stderr, and prints the
 * reconciliation report (JSON) on stdout.
 *
 *   node dist/services/dossier-intake/src/cli/import-backlog.js --file backlog.ndjson [--dry-run]
 *        [--verify-identities] [--url http://127.0.0.1:3001] [--token <client token>]   (or LIENTHONG_TOKEN)
 *
 * Exit codes: 0 every line imported or already present, 2 some lines were rejected (see the report), 1 failure.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function bar(done: number, total: number, started: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const width = 30;
  const filled = Math.round(share * width);
  const seconds = (Date.now() - started) / 1000;
  const rate = seconds > 0 ? done / 1_048_576 / seconds : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1)}% ${(done / 1_048_576).toFixed(1)}/${(total / 1_048_576).toFixed(1)} MB ${rate.toFixed(2)} MB/s ${seconds.toFixed(0)} s`;
}

async function main(): Promise<number> {
  const file = arg('file');
  const token = arg('token') ?? process.env['LIENTHONG_TOKEN'];
  const url = arg('url') ?? 'http://127.0.0.1:3001';
  const dryRun = process.argv.includes('--dry-run');
  // Opt-in: verifying the open dossiers' persons spends the population registry's quota.
  const verify = process.argv.includes('--verify-identities');
  if (!file || !token) {
    process.stderr.write(
      'usage: import-backlog --file <backlog.ndjson> [--dry-run] [--verify-identities] [--url <base>] [--token <token>]\n',
    );
    return 1;
  }
  const total = (await stat(file)).size;
  const started = Date.now();
  let sent = 0;
  const source = createReadStream(file);
  let drawn = 0;
  source.on('data', (chunk) => {
    sent += chunk.length;
    if (Date.now() - drawn >= 200) {
      drawn = Date.now();
      process.stderr.write(bar(sent, total, started));
    }
  });
  // node:http rather than fetch: fetch gives up on response headers after 5 minutes, and the report of a large
  // import comes later than that.
  const query = [dryRun ? 'dryRun=true' : '', verify ? 'verifyIdentities=true' : ''].filter(Boolean).join('&');
  const target = new URL(`${url}/v1/dossiers:import${query ? `?${query}` : ''}`);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    pipeline(source, request)
      .then(() => process.stderr.write(`${bar(total, total, started)}\nsent; importing, waiting for the report...\n`))
      .catch(reject);
  });
  if (status !== 200) {
    process.stderr.write(`import failed: HTTP ${status} ${text}\n`);
    return 1;
  }
  const report = JSON.parse(text) as { rejected: number; imported: number; alreadyPresent: number; lines: number };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(
    `${dryRun ? 'dry run: ' : ''}${report.lines} lines: ${report.imported} imported, ${report.alreadyPresent} already present, ${report.rejected} rejected in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return report.rejected > 0 ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import-backlog: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
