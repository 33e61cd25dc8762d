import { applyFault, listenAddress, SandboxState, startHttpSandbox } from '../../notification-kit/src/http-sandbox';

// An intake system's webhook endpoint: POST /hooks/<clientId> records each delivery (headers and raw body, so tests
// can check the Standard Webhooks signature themselves) once per `webhook-id`, as the specification asks receivers
// to deduplicate, and answers 204. Faults per client: PUT /_sandbox/faults/<clientId>; `redirectTo` makes it answer
// 302 to that location instead, to prove that senders do not follow redirects.

const state = new SandboxState();
const { host, port } = listenAddress(3105);
const redirects = new Map<string, string>();

void startHttpSandbox({
  name: 'intake-webhook-receiver',
  host,
  port,
  state,
  routes: [
    (request) => {
      const match = /^\/_sandbox\/redirects\/([^/]+)$/.exec(request.path);
      if (request.method !== 'PUT' || !match) return undefined;
      const location = (request.json as { location?: unknown } | undefined)?.location;
      if (typeof location !== 'string') return { status: 400, body: { title: 'location required' } };
      redirects.set(decodeURIComponent(match[1]!), location);
      return { status: 204 };
    },
    async (request) => {
      const match = /^\/hooks\/([A-Za-z0-9._-]+)$/.exec(request.path);
      if (request.method !== 'POST' || !match) return undefined;
      const clientId = match[1]!;
      state.requests += 1;
      const redirect = redirects.get(clientId);
      if (redirect) return { status: 302, headers: { location: redirect }, body: { redirected: true } };
      const failed = await applyFault(state, clientId, { title: 'receiver unavailable' });
      if (failed) return failed;
      const id = request.headers['webhook-id'];
      if (!id || !request.headers['webhook-timestamp'] || !request.headers['webhook-signature']) {
        return { status: 400, body: { title: 'webhook-id, webhook-timestamp and webhook-signature required' } };
      }
      state.record({
        key: `${clientId}:${id}`,
        target: clientId,
        headers: {
          'webhook-id': id,
          'webhook-timestamp': request.headers['webhook-timestamp'],
          'webhook-signature': request.headers['webhook-signature'],
          'content-type': request.headers['content-type'] ?? '',
        },
        body: request.json,
        raw: request.raw,
      });
      // A body the sender must never echo into its logs or events.
      return { status: 200, body: { received: true, internal: 'receiver-private-detail' } };
    },
  ],
});
