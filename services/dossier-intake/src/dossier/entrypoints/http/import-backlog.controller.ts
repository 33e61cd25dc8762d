import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Controller, HttpCode, Post, Query, Req, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { ValidationError, type FieldError } from '@lienthong/kernel';
import { redact } from '@lienthong/observability';
import { plainToInstance } from 'class-transformer';
import { Matches, validateSync, type ValidationError as ClassValidatorError } from 'class-validator';
import type { Request } from 'express';
import {
  ImportBacklogHandler,
  type BacklogLine,
  type ImportReport,
} from '../../application/import-backlog/import-backlog.handler';
import { DossierFieldsRequest } from './submit-dossier.request';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/** One NDJSON line: a canonical submission with the code the dossier already has. */
export class BacklogDossierLine extends DossierFieldsRequest {
  @Matches(/^[0-9A-Z.]+-\d{6}-\d{4,}$/, { message: 'dossierCode must be {agency electronic id}-{yyMMdd}-{NNNN}' })
  dossierCode!: string;
}

const maxLineBytes = 1_048_576;

function fieldErrors(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}${prefix ? '.' : ''}${e.property}`;
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({
      field,
      code: code === 'whitelistValidation' ? 'UNKNOWN_FIELD' : code.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      message: redact(message),
    }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * Receives the whole body into a temporary file first: Node's server gives a request 5 minutes to arrive
 * (`requestTimeout`), and importing 100,000 dossiers while reading them takes longer than that. The file is the
 * caller's to delete.
 */
async function spool(request: Request): Promise<string> {
  const file = path.join(tmpdir(), `dossier-intake-import-${randomUUID()}.ndjson`);
  await pipeline(request, createWriteStream(file));
  return file;
}

/** Parses and shape-checks each line as the validation pipe checks a submission (unknown fields refused). */
async function* backlogLines(file: string): AsyncGenerator<BacklogLine> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    if (Buffer.byteLength(text) > maxLineBytes) {
      yield {
        line,
        errors: [{ field: '', code: 'LINE_TOO_LONG', message: `a line may have at most ${maxLineBytes} bytes` }],
      };
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      yield { line, errors: [{ field: '', code: 'NOT_JSON', message: 'the line is not a JSON object' }] };
      continue;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      yield { line, errors: [{ field: '', code: 'NOT_AN_OBJECT', message: 'the line is not a JSON object' }] };
      continue;
    }
    const dto = plainToInstance(BacklogDossierLine, json);
    const errors = validateSync(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) {
      yield { line, errors: fieldErrors(errors) };
      continue;
    }
    const { dossierCode, ...submission } = dto;
    yield { line, dossierCode, submission: { ...submission } };
  }
}

/**
 * `POST /v1/dossiers:import`: the backlog of dossiers received before go-live, as an NDJSON stream (one canonical
 * submission with its original `dossierCode` per line), received into a temporary file, then read line by line. Answers with the
 * reconciliation report; `dryRun=true` checks everything and stores nothing.
 */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1')
export class ImportBacklogController {
  constructor(private readonly importer: ImportBacklogHandler) {}

  @Post('dossiers\\:import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import pre-go-live dossiers (NDJSON), keeping their codes and receipt dates' })
  @ApiConsumes('application/x-ndjson')
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ description: 'The reconciliation report: imported, already present, rejected (with reasons)' })
  async import(
    @Req() request: Request,
    @Query('dryRun') dryRun: string | undefined,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<ImportReport> {
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-ndjson')) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/x-ndjson');
    }
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') {
      throw new ValidationError('dryRun must be true or false.', [
        { field: 'dryRun', code: 'IS_IN', message: 'dryRun must be true or false' },
      ]);
    }
    const file = await spool(request);
    try {
      return await this.importer.execute(
        backlogLines(file),
        { clientId: principal.clientId, communes: principal.communes },
        dryRun === 'true',
      );
    } finally {
      await rm(file, { force: true });
    }
  }
}
