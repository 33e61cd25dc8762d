import { createHash } from 'node:crypto';
import { APOLOGY_RULE, citizenRuleFor } from './notification-policy';
import type { DossierContacts, DossierStatus, StatusChange } from './status-change';
import { renderEmail, renderSms, zaloTemplateData, type Message, type MessageFacts } from './templates';

/** Channels, as on `delivery.*` events. */
export const Channel = { Sms: 'SMS', Zalo: 'ZALO', Email: 'EMAIL', Webhook: 'WEBHOOK' } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/** The webhook body (Standard Webhooks payload structure: `type`, `timestamp`, `data`). */
export interface WebhookPayload {
  type: 'dossier.status-changed';
  /** When the change happened, RFC 3339. */
  timestamp: string;
  data: {
    dossierCode: string;
    procedureCode: string;
    status: DossierStatus;
    /** TrangThaiHoSo 1–10. */
    portalStatusCode: number;
    previousStatus?: DossierStatus;
    /** Legal due date, RFC 3339 +07:00. */
    dueAt: string;
    changedAt: string;
    appointmentAt?: string;
    reason?: string;
    /** Present when an apology letter (form 04) moved the due date; `dueAt` is the new one. */
    dueDateChange?: { previousDueAt: string; letterNumber: string };
  };
}

/** What is sent, per channel. */
export type DeliveryContent =
  | { channel: 'SMS'; text: string }
  | { channel: 'ZALO'; templateId: string; templateData: Record<string, string> }
  | { channel: 'EMAIL'; message: Message }
  | { channel: 'WEBHOOK'; payload: WebhookPayload };

/** One message to one recipient over one channel, decided from one event. */
export interface PlannedDelivery {
  /** Derived from (event, channel, recipient): the same event never yields two deliveries to one recipient. */
  deliveryId: string;
  eventId: string;
  dossierCode: string;
  channel: Channel;
  /** Where it goes: the phone number, the e-mail address, or the intake client id for webhooks. */
  address: string;
  /** `address` masked, for logs, events and the delivery log. */
  recipient: string;
  /** Template name, e.g. `supplement-requested.sms`. */
  template: string;
  content: DeliveryContent;
}

/** The stable id of the delivery of `eventId` over `channel` to `address` (32 hex digits). */
export function deliveryIdOf(eventId: string, channel: Channel, address: string): string {
  return createHash('sha256')
    .update(`${eventId}\n${channel}\n${address.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}

/** `0905123456` → `0905****56`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}

/** `an.nguyen@example.vn` → `a***@example.vn`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Initials of a name, as citizens are addressed in notifications (domain.md §6 rule 3): `Nguyễn Văn An` → `N.V.A.` */
export function initialsOf(fullName: string): string {
  const initials = fullName
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]!.toLocaleUpperCase('vi')}.`)
    .join('');
  return initials || 'Ông/Bà';
}

function kebab(status: DossierStatus): string {
  return status.toLowerCase().replace(/_/g, '-');
}

/** ZNS template id per status (registered with Zalo; configured per deployment, these are the sandbox's). */
export function zaloTemplateId(status: DossierStatus): string {
  return `lienthong-${kebab(status)}-v1`;
}

/**
 * Decides whom to tell about one status change: the intake system that submitted the dossier (webhook, when it
 * has registered one), and the applicant over the channels the rules give for the procedure and status, where the
 * applicant gave that contact. Contacts may be unknown (the submission was not seen): then only the webhook goes.
 */
export function planDeliveries(
  change: StatusChange,
  contacts: DossierContacts | null,
  intakeHasWebhook: boolean,
): PlannedDelivery[] {
  const planned: PlannedDelivery[] = [];
  const add = (channel: Channel, address: string, recipient: string, content: DeliveryContent): void => {
    planned.push({
      deliveryId: deliveryIdOf(change.eventId, channel, address),
      eventId: change.eventId,
      dossierCode: change.dossierCode,
      channel,
      address,
      recipient,
      template: `${change.dueDateChange ? 'due-date-moved' : kebab(change.status)}.${channel.toLowerCase()}`,
      content,
    });
  };

  if (intakeHasWebhook) {
    add(Channel.Webhook, change.clientId, change.clientId, { channel: 'WEBHOOK', payload: webhookPayload(change) });
  }
  if (!contacts) return planned;
  const rule = change.dueDateChange ? APOLOGY_RULE : citizenRuleFor(change.procedureCode, change.status);
  const facts: MessageFacts = {
    dossierCode: change.dossierCode,
    status: change.status,
    addressee: initialsOf(contacts.applicant.fullName),
    dueAt: change.dueAt,
    appointmentAt: change.appointmentAt,
    ...(change.dueDateChange ? { previousDueAt: change.dueDateChange.previousDueAt } : {}),
  };
  const { phone, email } = contacts.applicant;
  if (phone && rule.phone === 'SMS')
    add(Channel.Sms, phone, maskPhone(phone), { channel: 'SMS', text: renderSms(facts) });
  if (phone && rule.phone === 'ZALO') {
    add(Channel.Zalo, phone, maskPhone(phone), {
      channel: 'ZALO',
      templateId: zaloTemplateId(change.status),
      templateData: zaloTemplateData(facts),
    });
  }
  if (email && rule.email)
    add(Channel.Email, email, maskEmail(email), { channel: 'EMAIL', message: renderEmail(facts) });
  return planned;
}

/** The documented webhook body of a status change. */
export function webhookPayload(change: StatusChange): WebhookPayload {
  return {
    type: 'dossier.status-changed',
    timestamp: change.changedAt,
    data: {
      dossierCode: change.dossierCode,
      procedureCode: change.procedureCode,
      status: change.status,
      portalStatusCode: change.portalStatusCode,
      ...(change.previousStatus ? { previousStatus: change.previousStatus } : {}),
      dueAt: change.dueAt,
      changedAt: change.changedAt,
      ...(change.appointmentAt ? { appointmentAt: change.appointmentAt } : {}),
      ...(change.reason ? { reason: change.reason } : {}),
      ...(change.dueDateChange ? { dueDateChange: change.dueDateChange } : {}),
    },
  };
}
