import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for';

/** How to start one built service as its own process. */
export interface ServiceProcessOptions {
  /** Service name, e.g. `dossier-intake`; its entry point is dist/services/<name>/src/main.js. */
  name: string;
  /** HTTP port; readiness is polled at http://127.0.0.1:<port>/health/ready. */
  port: number;
  /** Extra environment on top of the test process's own. */
  env?: Record<string, string>;
  /** Repository root (where dist/ is). */
  root: string;
  /** Directory for the process's combined stdout/stderr log. */
  logDir: string;
}

/**
 * A service running as a separate OS process, as in production: journeys talk to it only over HTTP and Kafka.
 * Output goes to `<logDir>/<name>.log` so a failing journey can be diagnosed.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  readonly logFile: string;

  constructor(private readonly options: ServiceProcessOptions) {
    this.logFile = path.join(options.logDir, `${options.name}.log`);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The process id while it runs (e.g. to read its resident memory from /proc). */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /**
   * Starts the process and waits (bounded) until its readiness endpoint answers 200, or with `until: 'live'` until
   * the liveness endpoint does (for a service expected not to be ready).
   */
  async start(timeoutMs = 60_000, until: 'ready' | 'live' = 'ready'): Promise<void> {
    mkdirSync(this.options.logDir, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const entry = path.join(this.options.root, 'dist/services', this.options.name, 'src/main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: this.options.root,
      // Test stacks are development deployments (LIENTHONG_ENV has no default in the services, ADR 0010).
      env: { LIENTHONG_ENV: 'development', ...process.env, PORT: String(this.options.port), ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    await waitFor(
      async () => {
        if (exitCode !== undefined)
          throw new Error(`${this.options.name} exited with ${exitCode}; see ${this.logFile}`);
        const response = await fetch(`${this.baseUrl}/health/${until}`);
        return response.status === 200;
      },
      { timeoutMs, intervalMs: 250, description: `${this.options.name} to become ${until} (log: ${this.logFile})` },
    );
  }

  /** Sends SIGTERM and waits for the graceful exit; returns the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited!;
  }

  /** Kills the process without letting it clean up, as a crash would; resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
