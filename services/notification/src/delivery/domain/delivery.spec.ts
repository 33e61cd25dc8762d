import { Channel, deliveryIdOf, initialsOf, maskEmail, maskPhone, planDeliveries } from './delivery';
import { DossierStatus, type DossierContacts, type StatusChange } from './status-change';
import { formatLocalTime, renderEmail, renderMessage, renderSms, withoutDiacritics } from './templates';

const change = (overrides: Partial<StatusChange> = {}): StatusChange => ({
  eventId: '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e07',
  dossierCode: '000.00.56.H42-261123-0001',
  procedureCode: '1.013831',
  receivingUnitCode: '22657',
  clientId: 'one-stop-khanh-hoa',
  status: DossierStatus.SupplementRequested,
  portalStatusCode: 5,
  previousStatus: DossierStatus.InProgress,
  dueAt: '2026-12-03T08:15:00+07:00',
  changedAt: '2026-11-25T10:40:00+07:00',
  reason: 'Bổ sung văn bản đồng ý của bà Trần Thị Bình, CCCD 079095007890.',
  ...overrides,
});

const contacts: DossierContacts = {
  dossierCode: '000.00.56.H42-261123-0001',
  procedureCode: '1.013831',
  clientId: 'one-stop-khanh-hoa',
  applicant: { fullName: 'Nguyễn Văn An', phone: '0905123456', email: 'an.nguyen@example.vn' },
};

describe('planDeliveries', () => {
  it('tells the intake system and the applicant by SMS and e-mail about a supplement request', () => {
    const planned = planDeliveries(change(), contacts, true);
    expect(planned.map((d) => [d.channel, d.recipient, d.template])).toEqual([
      ['WEBHOOK', 'one-stop-khanh-hoa', 'supplement-requested.webhook'],
      ['SMS', '0905****56', 'supplement-requested.sms'],
      ['EMAIL', 'a***@example.vn', 'supplement-requested.email'],
    ]);
  });

  it('uses Zalo ZNS for the receipt and the result, whose templates carry dates', () => {
    const receipt = planDeliveries(change({ status: DossierStatus.Received, portalStatusCode: 2 }), contacts, false);
    expect(receipt.map((d) => d.channel)).toEqual(['ZALO', 'EMAIL']);
    const result = planDeliveries(
      change({ status: DossierStatus.Processed, portalStatusCode: 9, appointmentAt: '2026-12-02T14:00:00+07:00' }),
      contacts,
      false,
    );
    const zalo = result.find((d) => d.channel === Channel.Zalo)!;
    expect(zalo.content).toEqual({
      channel: 'ZALO',
      templateId: 'lienthong-processed-v1',
      templateData: expect.objectContaining({ appointment: '14:00 02/12/2026', dossier_code: contacts.dossierCode }),
    });
  });

  it('tells the citizen the new date of an apology letter by SMS and e-mail, and the intake system everything', () => {
    const moved = change({
      status: DossierStatus.InProgress,
      portalStatusCode: 4,
      previousStatus: DossierStatus.InProgress,
      dueAt: '2026-12-09T17:00:00+07:00',
      reason: 'Chờ kết quả đo đạc của ông Lê Văn Cường.',
      dueDateChange: { previousDueAt: '2026-12-03T08:15:00+07:00', letterNumber: '000.00.56.H42-261123-0001/XL-1' },
    });
    const planned = planDeliveries(moved, contacts, true);
    expect(planned.map((d) => [d.channel, d.template])).toEqual([
      ['WEBHOOK', 'due-date-moved.webhook'],
      ['SMS', 'due-date-moved.sms'],
      ['EMAIL', 'due-date-moved.email'],
    ]);
    const webhook = planned.find((d) => d.channel === Channel.Webhook)!.content;
    expect(webhook).toMatchObject({
      payload: {
        data: { dueAt: '2026-12-09T17:00:00+07:00', dueDateChange: moved.dueDateChange, reason: moved.reason },
      },
    });
    const sms = planned.find((d) => d.channel === Channel.Sms)!.content as { text: string };
    expect(sms.text).toBe(
      'Kinh gui N.V.A., Van phong dang ky dat dai xin loi vi ho so 000.00.56.H42-261123-0001 chua co ket qua dung hen 08:15 03/12/2026. Ngay hen tra ket qua moi: 17:00 09/12/2026.',
    );
    const email = planned.find((d) => d.channel === Channel.Email)!.content as {
      message: { subject: string; text: string };
    };
    expect(email.message.subject).toBe('Hồ sơ 000.00.56.H42-261123-0001: Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect(email.message.text).toContain('The new date for the result is 17:00 09/12/2026.');
    // The letter's free-text reason names a person: never in a citizen message.
    for (const d of planned.filter((p) => p.channel !== Channel.Webhook)) {
      expect(JSON.stringify(d.content)).not.toContain('Cường');
    }
  });

  it('tells only the intake system that the LRO is working on the dossier', () => {
    const planned = planDeliveries(change({ status: DossierStatus.InProgress, portalStatusCode: 4 }), contacts, true);
    expect(planned.map((d) => d.channel)).toEqual(['WEBHOOK']);
  });

  it('sends no receipt message for a mortgage registration, which is settled within a day', () => {
    const mortgage = change({ procedureCode: '1.011441', status: DossierStatus.Received, portalStatusCode: 2 });
    expect(planDeliveries(mortgage, contacts, true).map((d) => d.channel)).toEqual(['WEBHOOK']);
    const ready = { ...mortgage, status: DossierStatus.Processed, portalStatusCode: 9 };
    expect(planDeliveries(ready, contacts, true).map((d) => d.channel)).toEqual(['WEBHOOK', 'ZALO', 'EMAIL']);
  });

  it('uses only the contacts the applicant gave, and nothing without a webhook or contacts', () => {
    const phoneOnly = { ...contacts, applicant: { fullName: 'Lê Minh', phone: '0912345678' } };
    expect(planDeliveries(change(), phoneOnly, false).map((d) => d.channel)).toEqual(['SMS']);
    expect(planDeliveries(change(), null, false)).toEqual([]);
    expect(planDeliveries(change(), null, true).map((d) => d.channel)).toEqual(['WEBHOOK']);
  });

  it('derives the same delivery id from the same event, channel and recipient, and different ones otherwise', () => {
    const first = planDeliveries(change(), contacts, true);
    const again = planDeliveries(change(), contacts, true);
    expect(again.map((d) => d.deliveryId)).toEqual(first.map((d) => d.deliveryId));
    expect(new Set(first.map((d) => d.deliveryId)).size).toBe(3);
    const next = planDeliveries(change({ eventId: '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e08' }), contacts, true);
    expect(next.map((d) => d.deliveryId).some((id) => first.some((d) => d.deliveryId === id))).toBe(false);
    expect(deliveryIdOf('e', Channel.Email, 'A@x.vn')).toBe(deliveryIdOf('e', Channel.Email, 'a@x.vn'));
    expect(deliveryIdOf('e', Channel.Email, 'a@x.vn')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('puts no name, phone, e-mail, identification number or free-text reason in citizen messages', () => {
    for (const delivery of planDeliveries(change(), contacts, true).filter((d) => d.channel !== 'WEBHOOK')) {
      const text = JSON.stringify(delivery.content);
      expect(text).toContain(contacts.dossierCode);
      for (const secret of ['Nguyễn', 'Nguyen', '0905123456', 'an.nguyen', '079095007890', 'Trần Thị Bình']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('gives the intake system the documented webhook body, reason included', () => {
    const [webhook] = planDeliveries(change(), contacts, true);
    expect(webhook!.content).toEqual({
      channel: 'WEBHOOK',
      payload: {
        type: 'dossier.status-changed',
        timestamp: '2026-11-25T10:40:00+07:00',
        data: {
          dossierCode: contacts.dossierCode,
          procedureCode: '1.013831',
          status: 'SUPPLEMENT_REQUESTED',
          portalStatusCode: 5,
          previousStatus: 'IN_PROGRESS',
          dueAt: '2026-12-03T08:15:00+07:00',
          changedAt: '2026-11-25T10:40:00+07:00',
          reason: change().reason,
        },
      },
    });
  });
});

describe('templates', () => {
  const facts = {
    dossierCode: 'X-1',
    status: DossierStatus.Received,
    addressee: 'N.V.A.',
    dueAt: '2026-12-03T01:15:00Z',
  };

  it('renders Vietnamese first and English on request, times in Asia/Ho_Chi_Minh', () => {
    expect(renderMessage(facts, 'vi')).toEqual({
      subject: 'Hồ sơ X-1: Được tiếp nhận',
      text: 'Kính gửi N.V.A., Hồ sơ X-1 đã được tiếp nhận. Ngày hẹn trả kết quả: 08:15 03/12/2026.',
    });
    expect(renderMessage(facts, 'en').text).toBe(
      'Dear N.V.A., Dossier X-1 has been received. The result is due on 08:15 03/12/2026.',
    );
    expect(formatLocalTime('2026-12-31T17:30:00Z', 'vi')).toBe('00:30 01/01/2027');
  });

  it('sends SMS unaccented, in one GSM-7 part, and e-mail in both languages', () => {
    const sms = renderSms({ ...facts, status: DossierStatus.SupplementRequested });
    expect(sms).toBe('Kinh gui N.V.A., Ho so X-1 can bo sung giay to. Vui long lien he bo phan mot cua noi nop ho so.');
    expect(sms).toMatch(/^[\x20-\x7e]{1,160}$/);
    const email = renderEmail(facts);
    expect(email.text.indexOf('Hồ sơ X-1')).toBeLessThan(email.text.indexOf('Dossier X-1'));
    expect(withoutDiacritics('Đường Lê Lợi')).toBe('Duong Le Loi');
  });

  it('masks contacts and addresses people by initials', () => {
    expect(maskPhone('0905123456')).toBe('0905****56');
    expect(maskEmail('an.nguyen@example.vn')).toBe('a***@example.vn');
    expect(initialsOf('  Nguyễn   Văn An ')).toBe('N.V.A.');
    expect(initialsOf('đặng thị ánh')).toBe('Đ.T.Á.');
  });
});
