/**
 * Limits on the documents of one dossier (issue 13: up to 50 MB per file and 30 files per dossier, configurable
 * with MAX_DOCUMENT_BYTES and MAX_DOCUMENTS_PER_DOSSIER). A file over the limit is refused before anything of it is
 * stored.
 */
/** The most MAX_DOCUMENT_BYTES may be set to (and what request metadata may declare at all). */
export const maxDocumentBytesCeiling = 1024 * 1024 * 1024;

export class DocumentLimits {
  constructor(
    readonly maxFileBytes: number = 50 * 1024 * 1024,
    readonly maxFilesPerDossier = 30,
  ) {}
}
