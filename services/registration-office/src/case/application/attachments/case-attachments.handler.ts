import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { FileStore, FileTooLargeError, isSha256 } from '@lienthong/file-store';
import { NotFoundError, ValidationError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import {
  AttachmentStep,
  attachmentFileName,
  attachmentsOf,
  findAttachment,
  resultKinds,
  resultMediaTypes,
  withAttachments,
  type CaseAttachment,
} from '../../domain/case-attachments';
import { activeClaim } from '../../domain/case-claims';
import type { Case } from '../../domain/case';
import { CLAIM_ROLES, TransitionRefusedError } from '../../domain/case-workflow';
import { CaseStore } from '../case-store';
import type { Viewer } from '../get-case/get-case.handler';

/** Injection token: the largest result file a worker may upload, in bytes. */
export const ATTACHMENT_MAX_BYTES = Symbol('ATTACHMENT_MAX_BYTES');

/** An attachment opened for download: what the response headers need, and the bytes as a stream. */
export interface AttachmentDownload {
  attachment: CaseAttachment;
  /** Generated (`<kind>-<sha8>.<ext>`), never the citizen's file name. */
  fileName: string;
  sizeBytes: number;
  body: NodeJS.ReadableStream;
}

/** A result file to store on the case. */
export interface AttachmentUpload {
  dossierCode: string;
  sha256: string;
  /** Already checked against `resultMediaTypes` by the entrypoint (415 otherwise). */
  mediaType: string;
  /** One of `resultKinds`; CERTIFICATE_SCAN when the worker names none. */
  kind?: string;
  body: NodeJS.ReadableStream;
  /** The request's Content-Length, when it has one: a body declared too large is refused before it is read. */
  declaredBytes?: number;
  worker: Viewer;
}

/**
 * The case's files for the workers of its branch: reading one streams it from the object store, adding one (a
 * result scan) streams it into the store. Both go through the branch scope of CaseStore (another branch's case is
 * a 404) and both leave an entry in the case's audit chain before they are answered.
 */
@Injectable()
export class CaseAttachmentsHandler {
  constructor(
    private readonly store: CaseStore,
    private readonly files: FileStore,
    @Inject(ATTACHMENT_MAX_BYTES) private readonly maxBytes: number,
  ) {}

  /**
   * Opens an attachment of the case for a worker of its branch. 404 when the case is not the branch's, when the hash
   * is not an attachment of the case (so a worker cannot read arbitrary files of the store through a case), and
   * when the file has not reached the store yet (an intake system may list a document before uploading it).
   */
  async open(dossierCode: string, sha256: string, viewer: Viewer): Promise<AttachmentDownload> {
    tagActiveSpan({ dossierCode });
    const kase = await this.store.load(dossierCode, viewer);
    const attachment = isSha256(sha256) ? findAttachment(kase, sha256) : undefined;
    if (!attachment) throw new NotFoundError(`Case ${dossierCode} has no attachment ${sha256.slice(0, 64)}.`);
    const file = await this.files.open(sha256);
    if (!file) throw new NotFoundError(`The file of attachment ${sha256} has not reached the document store yet.`);
    try {
      // Recorded before the first byte goes out: who read which file of the case, and when.
      await this.store.audit(kase, [
        {
          at: this.store.clock.now().toISOString(),
          actor: viewer.userId,
          branch: viewer.branch,
          kind: 'DOWNLOAD',
          what: `GET attachment ${sha256}`,
        },
      ]);
    } catch (error) {
      destroy(file.body);
      throw error;
    }
    return { attachment, fileName: attachmentFileName(attachment), sizeBytes: file.sizeBytes, body: file.body };
  }

  /**
   * Stores a result file (e.g. the scan of the issued certificate) and records it on the case as an LRO result,
   * audited. The worker must be one who may hold cases (officer, approver) and hold this one's claim, as for the
   * officer steps; the case must be open. The body streams into the store, which checks the hash and the size limit
   * on the way and stores nothing otherwise. Returns the attachment and whether the case did not have it before;
   * uploading the same bytes again changes nothing.
   */
  async upload(upload: AttachmentUpload): Promise<{ attachment: CaseAttachment; created: boolean }> {
    const { dossierCode, sha256, worker } = upload;
    tagActiveSpan({ dossierCode });
    const kind = upload.kind ?? 'CERTIFICATE_SCAN';
    const problems = [
      ...(isSha256(sha256)
        ? []
        : [{ field: 'sha256', code: 'MATCHES', message: 'sha256 must be 64 lower-case hexadecimal digits' }]),
      ...(Object.hasOwn(resultKinds, kind)
        ? []
        : [
            {
              field: 'kind',
              code: 'UNKNOWN_KIND',
              message: `kind must be one of ${Object.keys(resultKinds).join(', ')}`,
            },
          ]),
    ];
    if (problems.length > 0) throw new ValidationError('The result file cannot be taken.', problems);
    if (!(resultMediaTypes as readonly string[]).includes(upload.mediaType)) {
      throw new ValidationError('The result file cannot be taken.', [
        { field: 'Content-Type', code: 'MEDIA_TYPE', message: `one of ${resultMediaTypes.join(', ')}` },
      ]);
    }
    if (upload.declaredBytes !== undefined && upload.declaredBytes > this.maxBytes) {
      throw new FileTooLargeError(this.maxBytes);
    }
    // Checked before any byte is stored: the request is refused without touching the store.
    this.checkMayUpload(await this.store.load(dossierCode, worker), worker);

    const stored = await this.files.put(sha256, upload.body, { maxBytes: this.maxBytes, mediaType: upload.mediaType });
    let created = false;
    const kase = await this.store.change(dossierCode, worker, (current, now) => {
      this.checkMayUpload(current, worker);
      if (findAttachment(current, sha256)) return undefined;
      created = true;
      return {
        kase: {
          ...current,
          attachments: withAttachments(
            attachmentsOf(current),
            [{ kind, mediaType: upload.mediaType, sizeBytes: stored.sizeBytes, sha256 }],
            { addedWith: AttachmentStep.LroResult, addedBy: worker.userId },
            now.toISOString(),
            (k) => this.store.documentKindLabel(k),
          ),
        },
        events: [],
        audit: [
          {
            at: now.toISOString(),
            actor: worker.userId,
            branch: worker.branch,
            kind: 'UPLOAD',
            what: `PUT attachment ${sha256} (${kind})`,
          },
        ],
      };
    });
    return { attachment: findAttachment(kase, sha256)!, created };
  }

  private checkMayUpload(kase: Case, worker: Viewer): void {
    if (!worker.roles.some((r) => CLAIM_ROLES.includes(r))) {
      throw new ForbiddenException(`uploading a result file needs the role ${CLAIM_ROLES.join(' or ')}`);
    }
    if (!kase.open) {
      throw new TransitionRefusedError(`case ${kase.dossierCode} is closed; no file can be added`);
    }
    if (activeClaim(kase, this.store.clock.now())?.userId !== worker.userId) {
      throw new TransitionRefusedError(
        `claim the case before adding a result file (POST /v1/cases/${kase.dossierCode}/claim)`,
      );
    }
  }
}

function destroy(body: NodeJS.ReadableStream): void {
  const stream = body as NodeJS.ReadableStream & { destroy?: () => void };
  stream.destroy?.();
}
