import { DossierStatus } from './status-change';

/** Languages of the templates: Vietnamese first, English available. */
export type Language = 'vi' | 'en';

/** What a message may say: the dossier code, its status, dates and masked identifiers only (domain.md §6 rule 3). */
export interface MessageFacts {
  dossierCode: string;
  status: DossierStatus;
  /** The applicant's initials (`N.V.A.`), never the full name. */
  addressee: string;
  /** Legal due date, RFC 3339. */
  dueAt: string;
  /** When the result can be collected, RFC 3339. */
  appointmentAt?: string;
  /** Set for an apology letter that moved the due date: the date it replaced (`dueAt` is the new one), RFC 3339. */
  previousDueAt?: string;
}

/** A rendered message. */
export interface Message {
  subject: string;
  text: string;
}

const statusLabels: Record<DossierStatus, Record<Language, string>> = {
  [DossierStatus.Submitted]: { vi: 'Mới đăng ký', en: 'Submitted' },
  [DossierStatus.Received]: { vi: 'Được tiếp nhận', en: 'Received' },
  [DossierStatus.RejectedAtIntake]: { vi: 'Không được tiếp nhận', en: 'Not accepted' },
  [DossierStatus.InProgress]: { vi: 'Đang xử lý', en: 'In progress' },
  [DossierStatus.SupplementRequested]: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Documents requested' },
  [DossierStatus.AwaitingFinancialObligation]: {
    vi: 'Yêu cầu thực hiện nghĩa vụ tài chính',
    en: 'Financial obligations to fulfil',
  },
  [DossierStatus.WithdrawalRequested]: { vi: 'Công dân yêu cầu rút hồ sơ', en: 'Withdrawal requested' },
  [DossierStatus.Stopped]: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  [DossierStatus.Processed]: { vi: 'Đã xử lý xong', en: 'Processed' },
  [DossierStatus.ResultReturned]: { vi: 'Đã trả kết quả', en: 'Result returned' },
};

/** The status as citizens read it. */
export function statusLabel(status: DossierStatus, language: Language): string {
  return statusLabels[status][language];
}

type Body = (facts: MessageFacts, when: (iso: string | undefined) => string) => string;

const bodies: Record<DossierStatus, Record<Language, Body>> = {
  [DossierStatus.Submitted]: {
    vi: (f) => `Hồ sơ ${f.dossierCode} đã được đăng ký.`,
    en: (f) => `Dossier ${f.dossierCode} has been submitted.`,
  },
  [DossierStatus.Received]: {
    vi: (f, w) => `Hồ sơ ${f.dossierCode} đã được tiếp nhận. Ngày hẹn trả kết quả: ${w(f.dueAt)}.`,
    en: (f, w) => `Dossier ${f.dossierCode} has been received. The result is due on ${w(f.dueAt)}.`,
  },
  [DossierStatus.RejectedAtIntake]: {
    vi: (f) => `Hồ sơ ${f.dossierCode} không được tiếp nhận. Vui lòng liên hệ bộ phận một cửa nơi nộp hồ sơ.`,
    en: (f) => `Dossier ${f.dossierCode} was not accepted. Please contact the one-stop desk where you filed it.`,
  },
  [DossierStatus.InProgress]: {
    vi: (f, w) => `Hồ sơ ${f.dossierCode} đang được xử lý. Ngày hẹn trả kết quả: ${w(f.dueAt)}.`,
    en: (f, w) => `Dossier ${f.dossierCode} is being processed. The result is due on ${w(f.dueAt)}.`,
  },
  [DossierStatus.SupplementRequested]: {
    vi: (f) => `Hồ sơ ${f.dossierCode} cần bổ sung giấy tờ. Vui lòng liên hệ bộ phận một cửa nơi nộp hồ sơ.`,
    en: (f) => `Dossier ${f.dossierCode} needs further documents. Please contact the one-stop desk where you filed it.`,
  },
  [DossierStatus.AwaitingFinancialObligation]: {
    vi: (f) => `Hồ sơ ${f.dossierCode}: vui lòng thực hiện nghĩa vụ tài chính theo thông báo của cơ quan thuế.`,
    en: (f) => `Dossier ${f.dossierCode}: please pay the amounts in the tax authority's notice.`,
  },
  [DossierStatus.WithdrawalRequested]: {
    vi: (f) => `Đã ghi nhận yêu cầu rút hồ sơ ${f.dossierCode}.`,
    en: (f) => `Your request to withdraw dossier ${f.dossierCode} has been recorded.`,
  },
  [DossierStatus.Stopped]: {
    vi: (f) => `Hồ sơ ${f.dossierCode} đã dừng xử lý. Vui lòng liên hệ bộ phận một cửa nơi nộp hồ sơ.`,
    en: (f) => `Processing of dossier ${f.dossierCode} has stopped. Please contact the one-stop desk.`,
  },
  [DossierStatus.Processed]: {
    vi: (f, w) =>
      `Hồ sơ ${f.dossierCode} đã có kết quả. Mời nhận kết quả tại bộ phận một cửa từ ${w(f.appointmentAt ?? f.dueAt)}.`,
    en: (f, w) =>
      `The result of dossier ${f.dossierCode} is ready. Collect it at the one-stop desk from ${w(f.appointmentAt ?? f.dueAt)}.`,
  },
  [DossierStatus.ResultReturned]: {
    vi: (f) => `Hồ sơ ${f.dossierCode} đã trả kết quả.`,
    en: (f) => `The result of dossier ${f.dossierCode} has been handed over.`,
  },
};

const formatters: Record<Language, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour12: false,
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour12: false,
  }),
};

/** An instant as citizens read it: legal time is Asia/Ho_Chi_Minh whatever the offset it was written with. */
export function formatLocalTime(iso: string | undefined, language: Language): string {
  if (!iso) return '';
  const parts = Object.fromEntries(formatters[language].formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/**
 * The apology (form 04 of Circular 01/2018/TT-VPCP) as the citizen reads it: the dossier, the missed date and the new
 * one. The letter's reason is free text and may name people, so it goes to the intake system only (rule 3).
 */
const apologyBodies: Record<Language, Body> = {
  vi: (f, w) =>
    `Văn phòng đăng ký đất đai xin lỗi vì hồ sơ ${f.dossierCode} chưa có kết quả đúng hẹn ${w(f.previousDueAt)}. Ngày hẹn trả kết quả mới: ${w(f.dueAt)}.`,
  en: (f, w) =>
    `The Land Registration Office apologises: dossier ${f.dossierCode} was not ready by ${w(f.previousDueAt)}. The new date for the result is ${w(f.dueAt)}.`,
};

/** Renders the citizen message about `facts.status` (or the apology, when `facts.previousDueAt` is set). */
export function renderMessage(facts: MessageFacts, language: Language): Message {
  const when = (iso: string | undefined): string => formatLocalTime(iso, language);
  const greeting = language === 'vi' ? `Kính gửi ${facts.addressee}` : `Dear ${facts.addressee}`;
  if (facts.previousDueAt) {
    const subject =
      language === 'vi'
        ? `Hồ sơ ${facts.dossierCode}: Phiếu xin lỗi và hẹn lại ngày trả kết quả`
        : `Dossier ${facts.dossierCode}: apology and new date for the result`;
    return { subject, text: `${greeting}, ${apologyBodies[language](facts, when)}` };
  }
  const subject =
    language === 'vi'
      ? `Hồ sơ ${facts.dossierCode}: ${statusLabel(facts.status, 'vi')}`
      : `Dossier ${facts.dossierCode}: ${statusLabel(facts.status, 'en')}`;
  return { subject, text: `${greeting}, ${bodies[facts.status][language](facts, when)}` };
}

/**
 * Vietnamese without diacritics, as Vietnamese SMS are sent: GSM-7 fits 160 characters in one part, while
 * UCS-2 (needed for diacritics) fits only 70 and triples the cost of a message.
 */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** The SMS text: Vietnamese, unaccented. */
export function renderSms(facts: MessageFacts): string {
  return withoutDiacritics(renderMessage(facts, 'vi').text);
}

/** The e-mail: Vietnamese first, the English version below it. */
export function renderEmail(facts: MessageFacts): Message {
  const vi = renderMessage(facts, 'vi');
  const en = renderMessage(facts, 'en');
  return { subject: vi.subject, text: `${vi.text}\n\n---\n\n${en.text}\n` };
}

/** Parameters of the Zalo ZNS template (the template text itself is registered with Zalo). */
export function zaloTemplateData(facts: MessageFacts): Record<string, string> {
  return {
    addressee: facts.addressee,
    dossier_code: facts.dossierCode,
    status: statusLabel(facts.status, 'vi'),
    due_date: formatLocalTime(facts.dueAt, 'vi'),
    ...(facts.appointmentAt ? { appointment: formatLocalTime(facts.appointmentAt, 'vi') } : {}),
  };
}
