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
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  Matches,
  ValidateNested,
  validateSync,
  type ValidationError as ClassValidatorError,
} from 'class-validator';
import type { Request } from 'express';
import {
  ImportBacklogHandler,
  type BacklogLine,
  type ImportReport,
} from '../../application/import-backlog/import-backlog.handler';
import { DossierStatus } from '../../domain/dossier';
import { ImportedPauseReason, type ImportedPause } from '../../domain/imported-dossier';
import { DossierFieldsRequest } from './submit-dossier.request';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/** One stop of the statutory clock before go-live, as the intake system recorded it. */
export class BacklogPauseLine {
  @IsIn(Object.values(ImportedPauseReason))
  reason!: ImportedPause['reason'];

  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'from must carry a time-zone offset' })
  from!: string;

  /** Absent while the pause lasts (only the last pause, and only as the status says). */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'to must carry a time-zone offset' })
  to?: string;
}

/**
 * One NDJSON line: a canonical submission with the code the dossier already has and, optionally, its current
 * front-desk status (RECEIVED when absent) and the stops of its clock so far, oldest first.
 */
export class BacklogDossierLine extends DossierFieldsRequest {
  @Matches(/^[0-9A-Z.]+-\d{6}-\d{4,}$/, { message: 'dossierCode must be {agency electronic id}-{yyMMdd}-{NNNN}' })
  dossierCode!: string;

  @IsOptional()
  @IsIn(Object.values(DossierStatus))
  status?: DossierStatus;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => BacklogPauseLine)
  pauses?: BacklogPauseLine[];
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
    const { dossierCode, status, pauses, ...submission } = dto;
    yield {
      line,
      dossierCode,
      submission: { ...submission },
      ...(status ? { status } : {}),
      ...(pauses
        ? { pauses: pauses.map((p) => ({ reason: p.reason, from: p.from, ...(p.to ? { to: p.to } : {}) })) }
        : {}),
    };
  }
}

/** `true` or `false`, else a 400 naming the parameter; absent is false. */
function flag(name: string, value: string | undefined): boolean {
  if (value !== undefined && value !== 'true' && value !== 'false') {
    throw new ValidationError(`${name} must be true or false.`, [
      { field: name, code: 'IS_IN', message: `${name} must be true or false` },
    ]);
  }
  return value === 'true';
}

/**
 * `POST /v1/dossiers:import`: the backlog of dossiers received before go-live, as an NDJSON stream (one canonical
 * submission with its original `dossierCode` per line, optionally its `status` and clock `pauses`), received into a
 * temporary file, then read line by line. Answers with the reconciliation report; `dryRun=true` checks everything and
 * stores nothing; `verifyIdentities=true` has population-matching verify the persons of the open dossiers (it spends
 * the population registry's quota; off by default).
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
  @ApiQuery({
    name: 'verifyIdentities',
    required: false,
    enum: ['true', 'false'],
    description:
      'Verify the persons of the open imported dossiers against the population registry (spends its quota); default false',
  })
  @ApiOkResponse({ description: 'The reconciliation report: imported, already present, rejected (with reasons)' })
  async import(
    @Req() request: Request,
    @Query('dryRun') dryRun: string | undefined,
    @Query('verifyIdentities') verifyIdentities: string | undefined,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<ImportReport> {
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-ndjson')) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/x-ndjson');
    }
    const options = { dryRun: flag('dryRun', dryRun), verifyIdentities: flag('verifyIdentities', verifyIdentities) };
    const file = await spool(request);
    try {
      return await this.importer.execute(
        backlogLines(file),
        { clientId: principal.clientId, communes: principal.communes },
        options,
      );
    } finally {
      await rm(file, { force: true });
    }
  }
}
