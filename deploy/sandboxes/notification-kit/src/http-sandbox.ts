import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// Shared by the notification sandboxes (sms-gateway, zalo-zns, smtp, intake-webhook-receiver): a small HTTP server
// that records what it receives, deduplicates by the sender's idempotency key as real providers do, and can be told
// to fail or to hang, so tests drive the faults over HTTP like any other peer.

/** How a target (an SMS provider, a Zalo app, an SMTP server, a webhook endpoint) answers next. */
export interface FaultSetting {
  /** `ok` answers normally; `fail` answers an error; `timeout` never answers (the caller's timeout must fire). */
  mode: 'ok' | 'fail' | 'timeout';
  /** How many requests the fault applies to before answering normally again; absent = until changed. */
  count?: number;
  /** HTTP status of `fail` (default 503). */
  status?: number;
  /** Delay before every answer, in ms. */
  latencyMs?: number;
}

/** A message the sandbox accepted: one per idempotency key. */
export interface RecordedMessage {
  /** The sender's idempotency key (client message id, tracking id, Message-ID, webhook-id). */
  key: string;
  /** Which provider, app, mailbox or client endpoint received it. */
  target: string;
  receivedAt: string;
  /** Attempts that carried the same key after the first (absorbed, not recorded again). */
  duplicates: number;
  /** What was received: headers and body as the sandbox saw them. */
  headers: Record<string, string>;
  body: unknown;
  /** The raw body text, for signature checks. */
  raw: string;
}

/** What every notification sandbox keeps and exposes at `/_sandbox/*`. */
export class SandboxState {
  readonly messages = new Map<string, RecordedMessage>();
  /** Every request to a provider endpoint, accepted or not (`/_sandbox/requests`). */
  requests = 0;
  private readonly faults = new Map<string, FaultSetting>();

  /** The fault for `target` for one request, counting it down. */
  takeFault(target: string): FaultSetting {
    const fault = this.faults.get(target) ?? this.faults.get('*') ?? { mode: 'ok' };
    if (fault.mode !== 'ok' && fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) this.faults.delete(this.faults.has(target) ? target : '*');
    }
    return { ...fault };
  }

  setFault(target: string, fault: FaultSetting): void {
    if (fault.mode === 'ok' && !fault.latencyMs) this.faults.delete(target);
    else this.faults.set(target, fault);
  }

  /** Records the message once per key; returns the stored record and whether it was new. */
  record(message: Omit<RecordedMessage, 'duplicates' | 'receivedAt'>): { stored: RecordedMessage; fresh: boolean } {
    const existing = this.messages.get(message.key);
    if (existing) {
      existing.duplicates += 1;
      return { stored: existing, fresh: false };
    }
    const stored: RecordedMessage = { ...message, receivedAt: new Date().toISOString(), duplicates: 0 };
    this.messages.set(message.key, stored);
    return { stored, fresh: true };
  }

  reset(): void {
    this.messages.clear();
    this.faults.clear();
    this.requests = 0;
  }
}

/** A request the provider routes handle. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  raw: string;
  /** Parsed JSON body; undefined when the body is not JSON. */
  json: unknown;
}

/** A provider route: answers a request, or returns undefined when it does not handle it. */
export type Route = (request: SandboxRequest) => Promise<Reply | undefined> | Reply | undefined;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const maxBody = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...reply.headers,
  });
  response.end(body);
}

/**
 * The inspection API every notification sandbox serves beside its provider routes:
 * `GET /health`; `GET /_sandbox/messages[?target=]` (accepted messages, one per idempotency key, with their
 * duplicate counts); `GET /_sandbox/stats`; `PUT /_sandbox/faults/<target>` (a FaultSetting; `*` for all);
 * `DELETE /_sandbox` (forget everything).
 */
function inspectionRoute(state: SandboxState): Route {
  return (request) => {
    if (request.method === 'GET' && request.path === '/health') return { status: 200, body: { status: 'ok' } };
    if (request.method === 'GET' && request.path === '/_sandbox/messages') {
      const target = request.query.get('target');
      const messages = [...state.messages.values()].filter((m) => !target || m.target === target);
      return { status: 200, body: { messages } };
    }
    if (request.method === 'GET' && request.path === '/_sandbox/stats') {
      const duplicates = [...state.messages.values()].reduce((sum, m) => sum + m.duplicates, 0);
      return { status: 200, body: { requests: state.requests, messages: state.messages.size, duplicates } };
    }
    const fault = /^\/_sandbox\/faults\/([^/]+)$/.exec(request.path);
    if (request.method === 'PUT' && fault) {
      const setting = request.json as FaultSetting | undefined;
      if (!setting || !['ok', 'fail', 'timeout'].includes(setting.mode)) {
        return { status: 400, body: { title: 'mode must be ok, fail or timeout' } };
      }
      state.setFault(decodeURIComponent(fault[1]!), setting);
      return { status: 204 };
    }
    if (request.method === 'DELETE' && request.path === '/_sandbox') {
      state.reset();
      return { status: 204 };
    }
    return undefined;
  };
}

/**
 * Applies the fault set for `target`: resolves with the error reply for `fail`, never resolves for `timeout` (the
 * connection stays open until the caller gives up), and undefined to carry on.
 */
export async function applyFault(state: SandboxState, target: string, failBody: unknown): Promise<Reply | undefined> {
  const fault = state.takeFault(target);
  if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.mode === 'fail') return { status: fault.status ?? 503, body: failBody };
  if (fault.mode === 'timeout') return new Promise<Reply>(() => undefined);
  return undefined;
}

/** Starts the sandbox's HTTP server on HOST:PORT with the inspection API and the given provider routes. */
export async function startHttpSandbox(options: {
  name: string;
  host: string;
  port: number;
  state: SandboxState;
  routes: Route[];
}): Promise<Server> {
  const routes = [inspectionRoute(options.state), ...options.routes];
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://sandbox');
        const raw = await readBody(request);
        let json: unknown;
        try {
          json = raw ? JSON.parse(raw) : undefined;
        } catch {
          json = undefined;
        }
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
        );
        const sandboxRequest = {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
          raw,
          json,
        };
        for (const route of routes) {
          const reply = await route(sandboxRequest);
          if (reply) return send(response, reply);
        }
        send(response, { status: 404, body: { title: 'Not Found' } });
      } catch (error) {
        if (!response.headersSent) send(response, { status: 400, body: { title: String(error) } });
      }
    })();
  });
  // A hung `timeout` answer must not keep the process from stopping.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  process.stdout.write(`${options.name} sandbox listening on http://${options.host}:${options.port}\n`);
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/** HOST and PORT from the environment, as every sandbox reads them. */
export function listenAddress(defaultPort: number): { host: string; port: number } {
  return { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? defaultPort) };
}
