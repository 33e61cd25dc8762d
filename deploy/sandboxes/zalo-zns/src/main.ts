import { randomUUID } from 'node:crypto';
import { applyFault, listenAddress, SandboxState, startHttpSandbox } from '../../notification-kit/src/http-sandbox';

// Zalo Notification Service (ZNS) as its "send a template message" endpoint answers: POST /message/template with
// an `access_token` header and {phone: "84…", template_id, template_data, tracking_id}; the answer is HTTP 200 with
// `error` 0 on success and a negative code otherwise (as Zalo's OpenAPI does). A repeated tracking_id is absorbed.
// Templates must be registered (approved) first: ZNS_TEMPLATES lists the accepted template ids (any when empty).

const state = new SandboxState();
const { host, port } = listenAddress(3102);
const templates = new Set((process.env.ZNS_TEMPLATES ?? '').split(',').filter(Boolean));

void startHttpSandbox({
  name: 'zalo-zns',
  host,
  port,
  state,
  routes: [
    async (request) => {
      if (request.method !== 'POST' || request.path !== '/message/template') return undefined;
      state.requests += 1;
      if (!request.headers['access_token'])
        return { status: 200, body: { error: -124, message: 'Access token is invalid' } };
      const failed = await applyFault(state, 'zns', { error: -32, message: 'Out of quota or service busy' });
      if (failed) return failed;
      const body = request.json as
        { phone?: unknown; template_id?: unknown; template_data?: unknown; tracking_id?: unknown } | undefined;
      if (typeof body?.phone !== 'string' || !/^84[0-9]{9,10}$/.test(body.phone)) {
        return { status: 200, body: { error: -108, message: 'Phone number is invalid' } };
      }
      if (typeof body.template_id !== 'string' || (templates.size > 0 && !templates.has(body.template_id))) {
        return { status: 200, body: { error: -1124, message: 'Template is not approved' } };
      }
      if (typeof body.template_data !== 'object' || body.template_data === null) {
        return { status: 200, body: { error: -1123, message: 'Template data is invalid' } };
      }
      if (typeof body.tracking_id !== 'string' || body.tracking_id.length === 0) {
        return { status: 200, body: { error: -1130, message: 'tracking_id is required' } };
      }
      const { stored } = state.record({
        key: body.tracking_id,
        target: 'zns',
        headers: {},
        body: { ...body, msg_id: randomUUID().replace(/-/g, '') },
        raw: request.raw,
      });
      const msgId = (stored.body as { msg_id: string }).msg_id;
      return {
        status: 200,
        body: {
          error: 0,
          message: 'Success',
          data: { msg_id: msgId, sent_time: String(Date.parse(stored.receivedAt)) },
        },
      };
    },
  ],
});
