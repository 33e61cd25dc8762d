import { randomUUID } from 'node:crypto';
import { applyFault, listenAddress, SandboxState, startHttpSandbox } from '../../notification-kit/src/http-sandbox';

// An SMS gateway with several providers (brand-name SMS aggregators), each at /providers/<name>/messages:
// POST {to, text, clientMessageId} → 202 {messageId, status}. A repeated clientMessageId is absorbed (same answer,
// counted as a duplicate), as aggregators do. Faults per provider: PUT /_sandbox/faults/<provider>.

const state = new SandboxState();
const { host, port } = listenAddress(3101);

void startHttpSandbox({
  name: 'sms-gateway',
  host,
  port,
  state,
  routes: [
    async (request) => {
      const match = /^\/providers\/([a-z0-9-]+)\/messages$/.exec(request.path);
      if (request.method !== 'POST' || !match) return undefined;
      const provider = match[1]!;
      state.requests += 1;
      const failed = await applyFault(state, provider, { code: 'PROVIDER_UNAVAILABLE', message: 'try later' });
      if (failed) return failed;
      const body = request.json as { to?: unknown; text?: unknown; clientMessageId?: unknown } | undefined;
      if (
        typeof body?.to !== 'string' ||
        !/^(0|84)[0-9]{9,10}$/.test(body.to) ||
        typeof body.text !== 'string' ||
        body.text.length === 0 ||
        body.text.length > 612 ||
        typeof body.clientMessageId !== 'string' ||
        body.clientMessageId.length === 0
      ) {
        return {
          status: 400,
          body: { code: 'INVALID_REQUEST', message: 'to, text (≤ 612) and clientMessageId required' },
        };
      }
      const { stored } = state.record({
        key: `${provider}:${body.clientMessageId}`,
        target: provider,
        headers: {},
        body: { ...body, messageId: randomUUID() },
        raw: request.raw,
      });
      return { status: 202, body: { messageId: (stored.body as { messageId: string }).messageId, status: 'ACCEPTED' } };
    },
  ],
});
