import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listenAddress, SandboxState, startHttpSandbox } from '../../notification-kit/src/http-sandbox';

// A real SMTP server (smtp-server) that stores every message it accepts, once per Message-ID (a resend after a
// crash carries the same Message-ID and is counted as a duplicate), with an HTTP inspection API on PORT (default
// 3104); SMTP listens on SMTP_PORT (default 3103). Faults: PUT /_sandbox/faults/smtp {mode: "fail"} answers 451
// (temporary failure) to DATA, {mode: "timeout"} never answers it.

const state = new SandboxState();
const { host, port } = listenAddress(3104);
const smtpPort = Number(process.env.SMTP_PORT ?? 3103);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, session, callback) {
    state.requests += 1;
    const fault = state.takeFault('smtp');
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      void (async () => {
        if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
        if (fault.mode === 'timeout') return;
        if (fault.mode === 'fail') {
          const error = Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = await simpleParser(raw);
        const messageId = mail.messageId ?? `no-id-${state.requests}`;
        const to = session.envelope.rcptTo.map((r) => r.address);
        state.record({
          key: messageId,
          target: 'smtp',
          headers: { 'message-id': messageId, subject: mail.subject ?? '' },
          body: {
            messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          },
          raw,
        });
        callback();
      })().catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    });
  },
});

// A client that vanishes mid-session (a sender SIGKILLed with pooled connections) surfaces here; without a
// listener the error would end the process.
smtp.on('error', (error: Error) => process.stderr.write(`smtp sandbox: ${error.message}\n`));
smtp.listen(smtpPort, host, () => process.stdout.write(`smtp sandbox: SMTP on ${host}:${smtpPort}\n`));
void startHttpSandbox({ name: 'smtp', host, port, state, routes: [] }).then((server) =>
  server.on('close', () => smtp.close()),
);
