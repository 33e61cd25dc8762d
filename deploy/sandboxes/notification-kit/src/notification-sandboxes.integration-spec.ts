import { connect } from 'node:net';
import { createTransport } from 'nodemailer';
import { startSandbox, type SandboxProcess } from '@lienthong/testing';

// The sandboxes as processes (built into dist/ first): they record what they accept once per idempotency key and
// fail or hang when told to.

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('notification sandboxes', () => {
  const started: SandboxProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('sms-gateway accepts a message once per client message id, fails and hangs on demand', async () => {
    const sms = await startSandbox('sms-gateway');
    started.push(sms);
    const url = `${sms.url}/providers/primary/messages`;
    const message = { to: '0905123456', text: 'Ho so X-1 can bo sung giay to.', clientMessageId: 'd-1' };
    const first = await post(url, message);
    const again = await post(url, message);
    expect(first.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(await sms.stats()).toEqual({ requests: 2, messages: 1, duplicates: 1 });
    expect((await post(url, { ...message, to: 'x' })).status).toBe(400);

    await sms.fault('primary', { mode: 'fail', count: 1 });
    expect((await post(url, { ...message, clientMessageId: 'd-2' })).status).toBe(503);
    expect((await post(url, { ...message, clientMessageId: 'd-2' })).status).toBe(202);
    expect((await post(`${sms.url}/providers/secondary/messages`, message)).status).toBe(202);

    await sms.fault('primary', { mode: 'timeout' });
    await expect(
      fetch(url, { method: 'POST', body: JSON.stringify(message), signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/abort|timeout/i);
    expect((await sms.messages('primary')).map((m) => m.key)).toEqual(['primary:d-1', 'primary:d-2']);
  });

  it('zalo-zns answers with Zalo error codes and records each tracking id once', async () => {
    const zalo = await startSandbox('zalo-zns', { ZNS_TEMPLATES: 'lienthong-received-v1' });
    started.push(zalo);
    const url = `${zalo.url}/message/template`;
    const body = {
      phone: '84905123456',
      template_id: 'lienthong-received-v1',
      template_data: { a: 'b' },
      tracking_id: 't1',
    };
    expect(await (await post(url, body)).json()).toEqual({ error: -124, message: 'Access token is invalid' });
    const ok = (await (await post(url, body, { access_token: 'k' })).json()) as { error: number };
    expect(ok.error).toBe(0);
    const unapproved = await post(url, { ...body, template_id: 'other' }, { access_token: 'k' });
    expect(((await unapproved.json()) as { error: number }).error).toBe(-1124);
    await post(url, body, { access_token: 'k' });
    expect(await zalo.stats()).toEqual({ requests: 4, messages: 1, duplicates: 1 });
  });

  it('smtp stores what nodemailer sends, once per Message-ID, and answers 451 when told to fail', async () => {
    const smtp = await startSandbox('smtp');
    started.push(smtp);
    const transport = createTransport({ host: '127.0.0.1', port: smtp.smtpPort!, secure: false, ignoreTLS: true });
    const mail = {
      from: 'thongbao@lienthong.local',
      to: 'an@example.vn',
      subject: 'Hồ sơ X-1: Được tiếp nhận',
      text: 'Kính gửi N.V.A., ...',
      messageId: '<d-1@lienthong.local>',
    };
    await transport.sendMail(mail);
    await transport.sendMail(mail);
    const [stored] = await smtp.messages();
    expect(stored).toMatchObject({
      key: '<d-1@lienthong.local>',
      duplicates: 1,
      body: { to: ['an@example.vn'], subject: 'Hồ sơ X-1: Được tiếp nhận', text: expect.stringContaining('N.V.A.') },
    });
    // A client that vanishes mid-session (a SIGKILLed sender) must not take the server down.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(smtp.smtpPort!, '127.0.0.1', () =>
        socket.write('EHLO crash.test\r\nMAIL FROM:<a@b.vn>\r\n'),
      );
      socket.once('data', () => {
        socket.resetAndDestroy();
        resolve();
      });
      socket.once('error', reject);
    });
    expect((await fetch(`${smtp.url}/health`)).status).toBe(200);
    await transport.sendMail({ ...mail, messageId: '<d-3@lienthong.local>' });
    await smtp.fault('smtp', { mode: 'fail', count: 1 });
    await expect(transport.sendMail({ ...mail, messageId: '<d-2@lienthong.local>' })).rejects.toMatchObject({
      responseCode: 451,
    });
    transport.close();
  });

  it('intake-webhook-receiver records each webhook-id once and can redirect', async () => {
    const receiver = await startSandbox('intake-webhook-receiver');
    started.push(receiver);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };
    expect((await post(`${receiver.url}/hooks/c1`, { a: 1 }, headers)).status).toBe(200);
    expect((await post(`${receiver.url}/hooks/c1`, { a: 1 }, headers)).status).toBe(200);
    expect((await post(`${receiver.url}/hooks/c1`, { a: 1 })).status).toBe(400);
    const [hook] = await receiver.messages('c1');
    expect(hook).toMatchObject({ key: 'c1:msg_1', duplicates: 1, raw: '{"a":1}' });
    await fetch(`${receiver.url}/_sandbox/redirects/c2`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ location: 'http://127.0.0.1:1/' }),
    });
    const redirected = await fetch(`${receiver.url}/hooks/c2`, { method: 'POST', body: '{}', redirect: 'manual' });
    expect(redirected.status).toBe(302);
  });
});
