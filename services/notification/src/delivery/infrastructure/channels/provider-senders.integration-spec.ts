import { startSandbox, type SandboxProcess } from '@lienthong/testing';
import { planDeliveries, type PlannedDelivery } from '../../domain/delivery';
import { DossierStatus, type DossierContacts } from '../../domain/status-change';
import { SmsGatewaySender } from './sms-gateway.sender';
import { SmtpSender } from './smtp.sender';
import { ZaloZnsSender } from './zalo-zns.sender';

// The provider adapters against their sandboxes (real HTTP and SMTP on loopback).

const contacts: DossierContacts = {
  dossierCode: '000.00.56.H42-261123-0007',
  procedureCode: '1.013831',
  applicant: { fullName: 'Trần Thị Bình', phone: '0912345678', email: 'binh.tran@example.vn' },
};

function planned(status: DossierStatus, eventId: string): PlannedDelivery[] {
  return planDeliveries(
    {
      eventId,
      dossierCode: contacts.dossierCode,
      procedureCode: '1.013831',
      receivingUnitCode: '22657',
      clientId: 'c1',
      status,
      portalStatusCode: status === DossierStatus.Received ? 2 : 5,
      dueAt: '2026-12-03T08:15:00+07:00',
      changedAt: '2026-11-25T10:40:00+07:00',
    },
    contacts,
    false,
  );
}

const byChannel = (list: PlannedDelivery[], channel: string): PlannedDelivery =>
  list.find((d) => d.channel === channel)!;

describe('provider senders', () => {
  let sms: SandboxProcess;
  let zalo: SandboxProcess;
  let smtp: SandboxProcess & { smtpPort?: number };
  beforeAll(async () => {
    [sms, zalo, smtp] = await Promise.all([
      startSandbox('sms-gateway'),
      startSandbox('zalo-zns', { ZNS_TEMPLATES: 'lienthong-received-v1,lienthong-processed-v1' }),
      startSandbox('smtp'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sms, zalo, smtp].map((s) => s.stop()));
  });

  const providers = (): { name: string; url: string }[] => [
    { name: 'primary', url: `${sms.url}/providers/primary/messages` },
    { name: 'secondary', url: `${sms.url}/providers/secondary/messages` },
  ];

  it('SMS falls back to the next provider when the first fails or hangs, with the delivery id as message id', async () => {
    const sender = new SmsGatewaySender(providers(), 400);
    const first = byChannel(planned(DossierStatus.SupplementRequested, 'e-1'), 'SMS');
    expect(await sender.send(first)).toMatchObject({ provider: 'primary' });

    await sms.fault('primary', { mode: 'fail', count: 1 });
    const second = byChannel(planned(DossierStatus.SupplementRequested, 'e-2'), 'SMS');
    expect(await sender.send(second)).toMatchObject({ provider: 'secondary' });

    await sms.fault('primary', { mode: 'timeout', count: 1 });
    const third = byChannel(planned(DossierStatus.SupplementRequested, 'e-3'), 'SMS');
    expect(await sender.send(third)).toMatchObject({ provider: 'secondary' });

    await sms.fault('*', { mode: 'fail', count: 2 });
    const fourth = byChannel(planned(DossierStatus.SupplementRequested, 'e-4'), 'SMS');
    await expect(sender.send(fourth)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', permanent: false });

    const records = await sms.messages();
    expect(records.map((r) => [r.target, (r.body as { clientMessageId: string }).clientMessageId])).toEqual([
      ['primary', first.deliveryId],
      ['secondary', second.deliveryId],
      ['secondary', third.deliveryId],
    ]);
    expect((records[0]!.body as { text: string }).text).toBe(
      'Kinh gui T.T.B., Ho so 000.00.56.H42-261123-0007 can bo sung giay to. Vui long lien he bo phan mot cua noi nop ho so.',
    );
  });

  it('Zalo ZNS sends the approved template, and an unapproved one is a permanent failure', async () => {
    const sender = new ZaloZnsSender(`${zalo.url}/message/template`, 'token', 1_000);
    const receipt = byChannel(planned(DossierStatus.Received, 'e-5'), 'ZALO');
    expect(await sender.send(receipt)).toMatchObject({ provider: 'zalo-zns', providerMessageId: expect.any(String) });
    const [record] = await zalo.messages();
    expect(record!.body).toMatchObject({
      phone: '84912345678',
      template_id: 'lienthong-received-v1',
      tracking_id: receipt.deliveryId,
      template_data: { dossier_code: contacts.dossierCode, addressee: 'T.T.B.' },
    });
    const unapproved = { ...receipt, content: { ...receipt.content, templateId: 'marketing-v1' } } as PlannedDelivery;
    await expect(sender.send(unapproved)).rejects.toMatchObject({ code: 'PROVIDER_REJECTED', permanent: true });
    await zalo.fault('zns', { mode: 'fail', count: 1 });
    await expect(sender.send(receipt)).rejects.toMatchObject({ permanent: false });
  });

  it('e-mail goes over SMTP in Vietnamese then English, with a Message-ID from the delivery id', async () => {
    const sender = new SmtpSender({
      host: '127.0.0.1',
      port: smtp.smtpPort!,
      from: 'thongbao@lienthong.local',
      timeoutMs: 2_000,
    });
    try {
      const mail = byChannel(planned(DossierStatus.Received, 'e-6'), 'EMAIL');
      await sender.send(mail);
      await sender.send(mail);
      const [stored] = await smtp.messages();
      expect(stored).toMatchObject({
        key: `<${mail.deliveryId}@notification.lienthong>`,
        duplicates: 1,
        body: { to: ['binh.tran@example.vn'], subject: 'Hồ sơ 000.00.56.H42-261123-0007: Được tiếp nhận' },
      });
      const text = (stored!.body as { text: string }).text;
      expect(text.indexOf('đã được tiếp nhận')).toBeLessThan(text.indexOf('has been received'));
      expect(text).not.toContain('Trần');
      await smtp.fault('smtp', { mode: 'fail', count: 1 });
      const next = byChannel(planned(DossierStatus.Received, 'e-7'), 'EMAIL');
      await expect(sender.send(next)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', permanent: false });
    } finally {
      sender.onApplicationShutdown();
    }
  });
});
