import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  canonicalHash,
  Clock,
  ConflictError,
  IdempotencyMismatchError,
  ValidationError,
  type FieldError,
} from '@lienthong/kernel';
import { tagActiveSpan } from '@lienthong/observability';
import { portalStatusCode, receiveDossier, type Dossier, type DossierSubmission } from '../../domain/dossier';
import { dossierCodePattern, formatDossierCode, parseDossierCode, receiptDay } from '../../domain/dossier-code';
import { DossierCodeCounter, DossierRepository } from '../../domain/dossier.ports';
import { ReferenceLookups, submissionProblems } from '../../domain/submission-rules';
import { DocumentFetchError, DocumentSource } from '../document-source';
import { DocumentLimits } from '../document-limits';
import { dossierEnvelopes } from '../dossier-envelopes';
import { DossierEventsRelay } from '../dossier-events-relay';
import { FileHashMismatchError, FileStore, FileStoreUnavailableError, FileTooLargeError } from '@lienthong/file-store';
import { ReceivingAgencies } from '../receiving-agencies';
import { StatutorySchedule, type DueDateAssessment } from '../statutory-schedule';
import type { SubmitDossierCommand, SubmitDossierResult } from './submit-dossier.command';

/** How many document URLs of one submission are fetched (and streamed into the store) at the same time. */
const fetchesAtOnce = 4;

/**
 * Validates the parts that need reference data, stores the files that came with the request and streams the
 * documents given as URLs into the document store, issues the dossier code (or checks and keeps the one the intake
 * system gave), stores the dossier together with its `dossier.submitted` event (one write), then starts publishing
 * the event. The files go first, so a stored dossier always has its files; with the document store down the
 * submission is answered 503 (Retry-After) before anything else is stored. The request never waits for or fails on the broker: the
 * dossier is accepted and the outbox sweeper publishes the event when the broker is back.
 */
@Injectable()
export class SubmitDossierHandler {
  private readonly logger = new Logger(SubmitDossierHandler.name);
  /** How long a retry waits for a concurrent first request with the same key before answering 409. */
  reservationWaitMs = 5_000;

  constructor(
    private readonly dossiers: DossierRepository,
    private readonly counter: DossierCodeCounter,
    private readonly agencies: ReceivingAgencies,
    private readonly relay: DossierEventsRelay,
    private readonly schedule: StatutorySchedule,
    private readonly clock: Clock,
    private readonly lookups: ReferenceLookups,
    private readonly files: FileStore,
    private readonly documents: DocumentSource,
    @Optional() private readonly limits: DocumentLimits = new DocumentLimits(),
  ) {}

  async execute(command: SubmitDossierCommand): Promise<{ result: SubmitDossierResult; replayed: boolean }> {
    const { clientId, idempotencyKey, submission } = command;
    const given = command.options.dossierCode;
    // A given code is part of the request (the same key with another code is another request), unless it is the
    // external reference itself (the VBDLIS receipt), which the hash covers already: receipts keep their hash.
    const codeHashed = given !== undefined && given !== submission.externalReference.id;
    const requestHash = canonicalHash(codeHashed ? { ...submission, dossierCode: given } : submission);

    const earlier = await this.answerFromReservation(command, requestHash);
    if (earlier) return earlier;

    const agencyId = this.validate(submission, command.options);
    // Before anything else is stored: a document that cannot be fetched, or a store that is down, leaves no dossier
    // (an already stored file is content-addressed and harmless without one).
    await this.storeDocuments(command);
    await this.claimGivenCode(command);
    const holder = await this.dossiers.claimExternalReference(clientId, submission.externalReference, idempotencyKey);
    if (holder !== idempotencyKey) {
      throw new ConflictError('A dossier with this externalReference already exists for this client.');
    }
    if (!(await this.dossiers.reserve({ clientId, idempotencyKey, requestHash }))) {
      // A concurrent request with the same key got there first: answer as it does once it is done.
      const answer = await this.answerFromReservation(command, requestHash);
      if (answer) return answer;
      throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
    }
    return { result: await this.create(command, await this.issueCode(command, agencyId)), replayed: false };
  }

  /**
   * The intake system's own code: refused (409) when a dossier has it or the day's counter has already issued its
   * number; otherwise recorded on the counter, which from then on skips that number, so a service-issued code never
   * collides with it. Repeating the claim for the same code is harmless (a retry or a takeover).
   */
  private async claimGivenCode(command: SubmitDossierCommand): Promise<void> {
    const given = command.options.dossierCode;
    if (!given) return;
    const stored = await this.dossiers.findByCode(given);
    if (stored && !sameRequest(stored, command)) throw codeInUse(given);
    const { agencyId, day, sequence } = parseDossierCode(given)!;
    if (!(await this.counter.claim(agencyId, day, sequence))) throw codeInUse(given);
  }

  /**
   * Stores the files that came with the request, then streams each document given as a URL from its host into the
   * store (a few at a time), each under its declared SHA-256 and limited to its declared size: the store checks both
   * while the bytes flow, so a file is never held whole. Refusals of URL documents are collected as field errors of
   * `documents[i].url`; a store that is down ends the request with 503 (FileStoreUnavailableError).
   */
  private async storeDocuments(command: SubmitDossierCommand): Promise<void> {
    for (const file of command.options.files ?? []) {
      await this.files.put(file.sha256, file.open(), { maxBytes: this.limits.maxFileBytes, mediaType: file.mediaType });
    }
    const documents = command.submission.documents ?? [];
    const wanted = documents.flatMap((d, i) => (d.url ? [{ ...d, url: d.url, index: i }] : []));
    const problems: FieldError[] = [];
    for (let i = 0; i < wanted.length; i += fetchesAtOnce) {
      await Promise.all(
        wanted.slice(i, i + fetchesAtOnce).map(async (d) => {
          const problem = await this.storeFromUrl(d.url, d);
          if (problem) problems.push({ field: `documents[${d.index}].url`, ...problem });
        }),
      );
    }
    if (problems.length > 0) {
      problems.sort((a, b) => (a.field < b.field ? -1 : 1));
      throw new ValidationError('A document given as a URL cannot be taken.', problems);
    }
  }

  /** Streams one URL document into the store; the refusal as a field error's code and message, or undefined. */
  private async storeFromUrl(
    url: string,
    expected: { sha256: string; sizeBytes: number; mediaType: string },
  ): Promise<{ code: string; message: string } | undefined> {
    try {
      const body = await this.documents.open(url, expected);
      const stored = await this.files.put(expected.sha256, body, {
        maxBytes: Math.min(expected.sizeBytes, this.limits.maxFileBytes),
        mediaType: expected.mediaType,
      });
      if (stored.sizeBytes !== expected.sizeBytes) {
        return {
          code: 'SIZE_MISMATCH',
          message: `the file at the URL has ${stored.sizeBytes} bytes, not the declared ${expected.sizeBytes}`,
        };
      }
      return undefined;
    } catch (error) {
      if (error instanceof DocumentFetchError) return { code: error.code, message: error.message };
      if (error instanceof FileTooLargeError) {
        return {
          code: 'URL_TOO_LARGE',
          message: `the file at the URL is larger than the declared ${expected.sizeBytes} bytes`,
        };
      }
      if (error instanceof FileHashMismatchError) {
        return { code: 'SHA256_MISMATCH', message: 'the SHA-256 of the file at the URL differs from the declared one' };
      }
      if (error instanceof FileStoreUnavailableError) throw error;
      // The body's own failure (the connection broke off while the bytes streamed).
      return { code: 'URL_FETCH_FAILED', message: 'the download broke off' };
    }
  }

  /** The intake system's own code when it gave one (checked in validate), else the next number. */
  private async issueCode(command: SubmitDossierCommand, agencyId: string): Promise<string> {
    if (command.options.dossierCode) {
      return this.dossiers.assignCode(command.clientId, command.idempotencyKey, command.options.dossierCode);
    }
    return this.nextNumber(command, agencyId);
  }

  /** Takes the next number of the agency and day for the reserved key (or the code a takeover already set). */
  private async nextNumber(command: SubmitDossierCommand, agencyId: string): Promise<string> {
    const day = receiptDay(new Date(command.submission.receivedAt));
    const code = formatDossierCode(agencyId, day, await this.counter.next(agencyId, day));
    return this.dossiers.assignCode(command.clientId, command.idempotencyKey, code);
  }

  /**
   * The answer for a key already reserved: a replay once the first request stored its dossier; the same dossier
   * finished under the reserved code when the first one stopped before storing it (or is about to: the insert is
   * idempotent); after a short wait while the first one is still issuing its number; undefined when nothing is
   * reserved or the first request is still busy after the wait (the caller then answers 409 with Retry-After).
   */
  private async answerFromReservation(
    command: SubmitDossierCommand,
    requestHash: string,
  ): Promise<{ result: SubmitDossierResult; replayed: boolean } | undefined> {
    const deadline = Date.now() + this.reservationWaitMs;
    for (;;) {
      const reservation = await this.dossiers.findReservation(command.clientId, command.idempotencyKey);
      if (!reservation) return undefined;
      if (reservation.requestHash !== requestHash) throw mismatch();
      if (reservation.dossierCode) {
        const stored = await this.dossiers.findByCode(reservation.dossierCode);
        // Only this request's own dossier is replayed: a given code that another dossier took first is a conflict.
        if (stored && sameRequest(stored, command)) return { result: toResult(stored), replayed: true };
        if (stored) throw codeInUse(reservation.dossierCode);
        await this.storeDocuments(command);
        return { result: await this.create(command, reservation.dossierCode), replayed: false };
      }
      const age = Date.now() - (reservation.reservedAt?.getTime() ?? Date.now());
      if (age > staleReservationMs) {
        // The first request stopped before it had a number: take over under the same key.
        const agencyId = this.validate(command.submission, command.options);
        await this.storeDocuments(command);
        await this.claimGivenCode(command);
        return {
          result: await this.create(command, await this.issueCode(command, agencyId)),
          replayed: false,
        };
      }
      if (Date.now() >= deadline) throw new ConflictError('A request with this Idempotency-Key is in progress.', 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Checks what needs reference data and the clock; returns the receiving agency's id. */
  /** MAX_DOCUMENTS_PER_DOSSIER and MAX_DOCUMENT_BYTES, checked on the declared metadata before any byte is read. */
  private documentLimitProblems(documents: readonly { sizeBytes: number }[]): FieldError[] {
    const problems: FieldError[] = [];
    if (documents.length > this.limits.maxFilesPerDossier) {
      problems.push({
        field: 'documents',
        code: 'TOO_MANY_DOCUMENTS',
        message: `a dossier may have at most ${this.limits.maxFilesPerDossier} documents`,
      });
    }
    documents.forEach((d, i) => {
      if (d.sizeBytes > this.limits.maxFileBytes) {
        problems.push({
          field: `documents[${i}].sizeBytes`,
          code: 'FILE_TOO_LARGE',
          message: `a document may have at most ${this.limits.maxFileBytes} bytes`,
        });
      }
    });
    return problems;
  }

  private validate(submission: SubmitDossierCommand['submission'], options: SubmitDossierCommand['options']): string {
    const today = receiptDay(this.clock.now());
    const problems = submissionProblems(
      submission,
      this.lookups,
      `20${today.slice(0, 2)}-${today.slice(2, 4)}-${today.slice(4)}`,
      { partiesComplete: options.partiesComplete ?? true },
    );
    problems.push(...this.documentLimitProblems(submission.documents ?? []));
    const agencyId = this.agencies.agencyFor(submission.receivingUnitCode);
    if (!agencyId && !problems.some((p) => p.field === 'receivingUnitCode')) {
      problems.push({
        field: 'receivingUnitCode',
        code: 'UNKNOWN_RECEIVING_UNIT',
        message: `commune ${submission.receivingUnitCode} is not a receiving unit of this deployment`,
      });
    }
    const given = options.dossierCode;
    if (given) {
      const day = receiptDay(new Date(submission.receivedAt));
      const parsed = parseDossierCode(given);
      if (
        !dossierCodePattern.test(given) ||
        !parsed ||
        parsed.sequence < 1 ||
        (agencyId !== undefined && parsed.agencyId !== agencyId)
      ) {
        problems.push({
          field: 'dossierCode',
          code: 'INVALID_DOSSIER_CODE',
          message: `dossierCode must be {agency electronic id}-{yyMMdd}-{NNNN} (NNNN from 0001) with this receiving unit's agency ${agencyId ?? ''}`,
        });
      } else if (given.split('-').at(-2) !== day) {
        problems.push({
          field: 'dossierCode',
          code: 'DOSSIER_CODE_DAY_MISMATCH',
          message: 'the day in dossierCode is not the receipt day (Vietnam time)',
        });
      }
    }
    if (new Date(submission.receivedAt).getTime() > this.clock.now().getTime() + 60_000) {
      problems.push({ field: 'receivedAt', code: 'IN_THE_FUTURE', message: 'receivedAt must not be in the future' });
    }
    if (problems.length > 0 || !agencyId) throw new ValidationError('The dossier cannot be accepted.', problems);
    this.assess(submission); // an unknown procedure or case is refused before anything is stored
    return agencyId;
  }

  private assess(submission: SubmitDossierCommand['submission']): DueDateAssessment {
    return this.schedule.assess({
      procedureCode: submission.procedureCode,
      caseCode: submission.caseCode,
      communeCode: submission.receivingUnitCode,
      parcelCommuneCodes: submission.parcels.map((p) => p.communeCode),
      receivedAt: new Date(submission.receivedAt),
    });
  }

  /**
   * Stores the dossier with its `dossier.submitted` event (one write), then starts publishing it. Its files were
   * stored before (storeDocuments), so a stored dossier always has its files, also after a crash in between.
   */
  private async create(command: SubmitDossierCommand, dossierCode: string): Promise<SubmitDossierResult> {
    const submission = withoutUrls(command.submission);
    const { dossier, events } = receiveDossier(
      submission,
      dossierCode,
      command.clientId,
      this.clock.now(),
      this.assess(submission),
    );
    tagActiveSpan({ dossierCode, procedureCode: submission.procedureCode, communeCode: submission.receivingUnitCode });
    // `dossier.submitted` then `dossier.status-changed` (RECEIVED), sequences 1 and 2.
    const { outbox } = dossierEnvelopes(dossierCode, 0, events, this.clock.now());
    if (!(await this.dossiers.insert(dossier, outbox))) {
      const stored = await this.dossiers.findByCode(dossierCode);
      // The same request finished meanwhile; or the intake system gave a code another dossier already has.
      if (stored && sameRequest(stored, command)) return toResult(stored);
      if (stored) throw codeInUse(dossierCode);
    }
    // The answer does not wait for the broker: the dossier and its event are stored; publishing runs on, and the
    // sweeper retries it if the broker is away.
    this.relay.relay(dossierCode).catch((e: unknown) => {
      this.logger.warn(`dossier ${dossierCode} stored; event publish deferred to the sweeper: ${String(e)}`);
    });
    return toResult(dossier);
  }
}

/** A reservation still without a number after this long belongs to a request that stopped; a retry takes over. */
const staleReservationMs = 30_000;

/** Whether `stored` is the dossier of this request (same client and external reference). */
function sameRequest(stored: Dossier, command: SubmitDossierCommand): boolean {
  const reference = command.submission.externalReference;
  return (
    stored.clientId === command.clientId &&
    stored.externalReference.system === reference.system &&
    stored.externalReference.id === reference.id
  );
}

function codeInUse(dossierCode: string): ConflictError {
  return new ConflictError(`Dossier code ${dossierCode} is already in use.`);
}

/** The submission as the dossier keeps it: documents by their SHA-256 address, without the URLs they came from. */
function withoutUrls(submission: SubmitDossierCommand['submission']): DossierSubmission {
  if (!submission.documents?.some((d) => d.url !== undefined)) return submission;
  return { ...submission, documents: submission.documents.map(({ url: _url, ...document }) => document) };
}

function mismatch(): IdempotencyMismatchError {
  return new IdempotencyMismatchError('This Idempotency-Key was already used with a different request body.');
}

/** The answer to the submission, as first given: a replay returns the same body even if the dossier moved on. */
function toResult(dossier: Dossier): SubmitDossierResult {
  const received = dossier.history[0]?.status ?? dossier.status;
  return {
    dossierCode: dossier.dossierCode,
    status: received,
    portalStatusCode: portalStatusCode[received],
    receivedAt: dossier.receivedAt,
    dueAt: dossier.dueAt,
    timeLimit: dossier.timeLimit,
    links: { self: `/v1/dossiers/${dossier.dossierCode}` },
  };
}
