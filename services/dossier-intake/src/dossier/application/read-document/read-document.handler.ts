import { Injectable } from '@nestjs/common';
import { FileStore, isSha256 } from '@lienthong/file-store';
import { NotFoundError } from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import { resultFileName, type Dossier } from '../../domain/dossier';
import { DossierRepository } from '../../domain/dossier.ports';
import { inScope, notFound, type CallerScope } from '../get-dossier/get-dossier.handler';

/** A document of the dossier opened for reading. */
export interface OpenedDocument {
  kind: string;
  mediaType: string;
  /** The intake system's own file name; generated (`<kind>-<sha8>.<ext>`) for an LRO result. */
  fileName: string;
  sizeBytes: number;
  body: NodeJS.ReadableStream;
}

/** The document of the dossier stored under `sha256`: submitted, handed in with a supplement, or an LRO result. */
export function documentOf(
  dossier: Dossier,
  sha256: string,
): { kind: string; mediaType: string; fileName: string } | undefined {
  const own = [...(dossier.documents ?? []), ...(dossier.supplementDocuments ?? [])].find((d) => d.sha256 === sha256);
  if (own) return { kind: own.kind, mediaType: own.mediaType, fileName: own.fileName };
  const result = (dossier.resultDocuments ?? []).find((d) => d.sha256 === sha256);
  if (!result) return undefined;
  return { kind: result.kind, mediaType: result.mediaType, fileName: resultFileName(result) };
}

/**
 * Reads a document of a dossier for the intake system that may act for its receiving commune: the files it handed
 * in and, above all, the results the LRO sent back by reference (the certificate scan). Only hashes the dossier
 * lists are served, so a client cannot read arbitrary files of the shared store through a dossier it may see.
 */
@Injectable()
export class ReadDocumentHandler {
  constructor(
    private readonly dossiers: DossierRepository,
    private readonly files: FileStore,
  ) {}

  async execute(dossierCode: string, sha256: string, scope: CallerScope): Promise<OpenedDocument> {
    tagActiveSpan({ dossierCode });
    const dossier = await this.dossiers.findByCode(dossierCode);
    if (!inScope(dossier, scope)) throw notFound(dossierCode);
    const document = isSha256(sha256) ? documentOf(dossier, sha256) : undefined;
    if (!document) throw new NotFoundError(`Dossier ${dossierCode} has no document ${sha256.slice(0, 64)}.`);
    const file = await this.files.open(sha256);
    if (!file) throw new NotFoundError(`The file of document ${sha256} has not been uploaded yet.`);
    return { ...document, sizeBytes: file.sizeBytes, body: file.body };
  }
}
