/**
 * The dossier's own files on the LRO case (tệp đính kèm): what the commune handed over with the dossier and its
 * supplements, and the result scans the LRO adds. The case keeps references only (SHA-256, kind, media type, size):
 * the bytes live once in the shared object store under their hash (the claim check), the citizen's file names stay
 * at dossier-intake. Pure TypeScript.
 */
import { ValidationError } from '@lienthong/kernel';

/** Which step added an attachment to the case. */
export const AttachmentStep = {
  /** Listed in `dossier.submitted` (the dossier as the commune received it). */
  Submission: 'SUBMISSION',
  /** Handed in with a supplement (`dossier.supplemented`); `supplementRequestNumber` says which. */
  Supplement: 'SUPPLEMENT',
  /** Uploaded by the LRO, e.g. the scan of the issued certificate. */
  LroResult: 'LRO_RESULT',
} as const;
export type AttachmentStep = (typeof AttachmentStep)[keyof typeof AttachmentStep];

/** A name in Vietnamese and English. */
export interface KindLabel {
  vi: string;
  en: string;
}

/** A file of the case, by reference. */
export interface CaseAttachment {
  /** Lower-case hex SHA-256 of the file: its address in the object store. */
  sha256: string;
  /** Document kind: a component code of the procedure catalogue, or one of `resultKinds` for LRO results. */
  kind: string;
  /** The kind's name, for the worker. */
  label: KindLabel;
  mediaType: string;
  sizeBytes: number;
  addedWith: AttachmentStep;
  /** The supplement request the file answered (for `SUPPLEMENT`). */
  supplementRequestNumber?: number;
  /** When the case got the reference (UTC ISO). */
  addedAt: string;
  /** The worker who uploaded it (for `LRO_RESULT`). */
  addedBy?: string;
}

/** A file reference as the events carry it. */
export interface FileReference {
  kind: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** Resolves a catalogue document kind to its names; undefined for a kind the catalogue does not know. */
export type KindLabeller = (kind: string) => KindLabel | undefined;

/**
 * Kinds of the files the LRO itself uploads. Not catalogue components (the catalogue lists what the citizen hands
 * in); the certificate form is the one of Circular 10/2024/TT-BTNMT.
 */
export const resultKinds: Readonly<Record<string, KindLabel>> = {
  CERTIFICATE_SCAN: {
    vi: 'Bản quét Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất đã cấp',
    en: 'Scan of the issued land-use right and asset ownership certificate',
  },
  RESULT_DOCUMENT: {
    vi: 'Văn bản kết quả giải quyết thủ tục hành chính',
    en: 'Result document of the procedure',
  },
};

/** Media types of the result scans the LRO may upload. */
export const resultMediaTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** The label of a kind: the LRO's result kinds, then the catalogue, else the code itself in both languages. */
export function labelOf(kind: string, labeller: KindLabeller): KindLabel {
  return resultKinds[kind] ?? labeller(kind) ?? { vi: kind, en: kind };
}

/** The case's attachments (cases opened before attachments existed have none). */
export function attachmentsOf(kase: { attachments?: readonly CaseAttachment[] }): readonly CaseAttachment[] {
  return kase.attachments ?? [];
}

/** The attachment stored under `sha256`, if the case has one. */
export function findAttachment(
  kase: { attachments?: readonly CaseAttachment[] },
  sha256: string,
): CaseAttachment | undefined {
  return attachmentsOf(kase).find((a) => a.sha256 === sha256);
}

/**
 * Appends the references not on the case yet. A file is addressed by its content, so the same bytes handed in
 * twice (a supplement repeating a submitted page) stay one attachment, with the step that first brought them.
 */
export function withAttachments(
  current: readonly CaseAttachment[],
  references: readonly FileReference[],
  step: { addedWith: AttachmentStep; supplementRequestNumber?: number; addedBy?: string },
  at: string,
  labeller: KindLabeller,
): CaseAttachment[] {
  const next = [...current];
  for (const reference of references) {
    if (next.some((a) => a.sha256 === reference.sha256)) continue;
    next.push({
      sha256: reference.sha256,
      kind: reference.kind,
      label: labelOf(reference.kind, labeller),
      mediaType: reference.mediaType,
      sizeBytes: reference.sizeBytes,
      addedWith: step.addedWith,
      ...(step.supplementRequestNumber !== undefined ? { supplementRequestNumber: step.supplementRequestNumber } : {}),
      addedAt: at,
      ...(step.addedBy ? { addedBy: step.addedBy } : {}),
    });
  }
  return next;
}

/** The documents of `dossier.supplemented` that came with a file (older producers sent kinds only). */
export function supplementReferences(
  documents: readonly { componentCode: string; sha256?: string; mediaType?: string; sizeBytes?: number }[],
): FileReference[] {
  return documents.flatMap((d) =>
    d.sha256 && d.mediaType && d.sizeBytes
      ? [{ kind: d.componentCode, sha256: d.sha256, mediaType: d.mediaType, sizeBytes: d.sizeBytes }]
      : [],
  );
}

/**
 * The certificate scan `ISSUE_CERTIFICATE` names in `details.certificateScanSha256`, as the event's reference:
 * undefined when the worker named none (a certificate may be issued before its scan exists); a ValidationError when
 * the hash is not a result file the LRO uploaded to this case, so an event never points at bytes nobody checked.
 */
export function certificateScanOf(
  kase: { attachments?: readonly CaseAttachment[] },
  details: Record<string, unknown>,
): FileReference | undefined {
  const given = details.certificateScanSha256;
  if (given === undefined) return undefined;
  const attachment =
    typeof given === 'string'
      ? attachmentsOf(kase).find((a) => a.sha256 === given && a.addedWith === AttachmentStep.LroResult)
      : undefined;
  if (!attachment) {
    throw new ValidationError('details.certificateScanSha256 is not a result file of this case.', [
      {
        field: 'details.certificateScanSha256',
        code: 'UNKNOWN_ATTACHMENT',
        message: 'upload the scan first with PUT /v1/cases/{dossierCode}/attachments/{sha256}, then name its SHA-256',
      },
    ]);
  }
  const { kind, mediaType, sizeBytes, sha256 } = attachment;
  return { kind, mediaType, sizeBytes, sha256 };
}

const extensions: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
};

/**
 * The file name a download is offered under: `<kind>-<first 8 hex digits>.<ext>`, generated, because the citizen's
 * own file names often contain personal names and stay at dossier-intake.
 */
export function attachmentFileName(attachment: Pick<CaseAttachment, 'kind' | 'sha256' | 'mediaType'>): string {
  const kind = attachment.kind.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${kind}-${attachment.sha256.slice(0, 8)}.${extensions[attachment.mediaType] ?? 'bin'}`;
}
