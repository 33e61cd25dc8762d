import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './wait-for';

// Sandboxes (deploy/sandboxes/<name>, built into dist/) as separate processes on free ports, for tests that need
// their own instance (particular faults, a clean record). Each is stopped by the test that started it.

const root = path.resolve(__dirname, '../../..');

/** A free TCP port on loopback (taken by the OS, then released for the child to bind). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What a notification sandbox recorded, as its `GET /_sandbox/messages` returns it. */
export interface SandboxMessage {
  key: string;
  target: string;
  receivedAt: string;
  duplicates: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  raw: string;
}

/**
 * One running sandbox (built into dist/ by tools/build.mjs). `messages`, `stats` and `fault` speak the inspection
 * API of notification's sandboxes (deploy/sandboxes/notification-kit).
 */
export class SandboxProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    /** Folder under deploy/sandboxes. */
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const entry = path.join(root, 'dist/deploy/sandboxes', this.name, 'src/main.js');
    this.child = spawn(process.execPath, [entry], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`${this.name} exited: ${this.output}`);
        return (await fetch(`${this.url}/health`)).status === 200;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: `sandbox ${this.name} on ${this.port}` },
    );
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async messages(target?: string): Promise<SandboxMessage[]> {
    const response = await fetch(
      `${this.url}/_sandbox/messages${target ? `?target=${encodeURIComponent(target)}` : ''}`,
    );
    return ((await response.json()) as { messages: SandboxMessage[] }).messages;
  }

  async stats(): Promise<{ requests: number; messages: number; duplicates: number }> {
    return (await fetch(`${this.url}/_sandbox/stats`)).json() as Promise<{
      requests: number;
      messages: number;
      duplicates: number;
    }>;
  }

  async fault(
    target: string,
    setting: { mode: 'ok' | 'fail' | 'timeout'; count?: number; status?: number },
  ): Promise<void> {
    const response = await fetch(`${this.url}/_sandbox/faults/${encodeURIComponent(target)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(setting),
    });
    if (response.status !== 204) throw new Error(`fault setting refused: ${response.status}`);
  }
}

/** Starts a sandbox on a free port (the SMTP sandbox gets a second one for SMTP, as `smtpPort`). */
export async function startSandbox(
  name: string,
  env: Record<string, string> = {},
): Promise<SandboxProcess & { smtpPort?: number }> {
  const smtpPort = name === 'smtp' ? await freePort() : undefined;
  const extra: Record<string, string> = smtpPort ? { SMTP_PORT: String(smtpPort) } : {};
  const sandbox = new SandboxProcess(name, await freePort(), { ...extra, ...env });
  await sandbox.start();
  return Object.assign(sandbox, { smtpPort });
}
