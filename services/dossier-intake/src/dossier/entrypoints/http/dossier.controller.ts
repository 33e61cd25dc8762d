import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { Clock, NotFoundError, ValidationError } from '@lienthong/kernel';
import type { Response } from 'express';
import { portalStatusCode } from '../../domain/dossier';
import { AnswerSupplementHandler } from '../../application/answer-supplement/answer-supplement.handler';
import { GetDossierHandler, type CallerScope } from '../../application/get-dossier/get-dossier.handler';
import { decodeCursor, ListDossiersHandler } from '../../application/list-dossiers/list-dossiers.handler';
import { idempotent } from '../../application/request-keys/idempotent';
import { RequestKeys } from '../../application/request-keys/request-keys';
import {
  SubmitDossierCommand,
  type SubmitDossierResult,
} from '../../application/submit-dossier/submit-dossier.command';
import { SubmitDossierHandler } from '../../application/submit-dossier/submit-dossier.handler';
import { WithdrawDossierHandler } from '../../application/withdraw-dossier/withdraw-dossier.handler';
import { ListDossiersQueryParams, SupplementRequestBody, WithdrawalRequestBody } from './dossier-actions.request';
import { DossierPage, DossierView, SubmitDossierResponse } from './dossier.response';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';
import { JsonBodyGuard } from './json-body.guard';
import { SubmitDossierRequest } from './submit-dossier.request';

const idempotencyHeader = {
  name: 'Idempotency-Key',
  required: true,
  description: 'At most 255 characters; a retry reuses it and gets the original answer',
};

function requireKey(idempotencyKey: string | undefined): string {
  if (!idempotencyKey || idempotencyKey.length > 255) {
    throw new ValidationError('The Idempotency-Key header is required.', [
      { field: 'Idempotency-Key', code: 'REQUIRED', message: 'Idempotency-Key header of 1–255 characters is required' },
    ]);
  }
  return idempotencyKey;
}

function scopeOf(principal: ClientPrincipal): CallerScope {
  return { clientId: principal.clientId, communes: principal.communes };
}

/**
 * The canonical intake API (intake-api.md). Every endpoint needs an intake-system token; the tenant scope (the
 * communes the client may act for) comes only from it, and anything outside it is a 404.
 */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/dossiers')
export class DossierController {
  constructor(
    private readonly submit: SubmitDossierHandler,
    private readonly getDossier: GetDossierHandler,
    private readonly listDossiers: ListDossiersHandler,
    private readonly supplements: AnswerSupplementHandler,
    private readonly withdrawals: WithdrawDossierHandler,
    private readonly keys: RequestKeys,
    private readonly clock: Clock,
  ) {}

  @Post()
  @UseGuards(JsonBodyGuard)
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit a dossier received at the one-stop desk' })
  @ApiHeader(idempotencyHeader)
  @ApiCreatedResponse({ type: SubmitDossierResponse })
  @ApiConflictResponse({
    description:
      'Duplicate externalReference, a given dossierCode already in use, or the same key still in flight (Retry-After)',
  })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used with another body' })
  async create(
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: SubmitDossierRequest,
    @CurrentPrincipal() principal: ClientPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmitDossierResult> {
    const key = requireKey(idempotencyKey);
    if (!principal.communes.includes(body.receivingUnitCode)) {
      throw new NotFoundError(`Receiving unit ${body.receivingUnitCode} was not found.`);
    }
    const { dossierCode, ...submission } = body;
    const { result, replayed } = await this.submit.execute(
      new SubmitDossierCommand(principal.clientId, key, { ...submission }, dossierCode ? { dossierCode } : {}),
    );
    response.setHeader('Location', result.links.self);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get()
  @ApiOperation({ summary: "The caller's dossiers, filtered, in pages (ordered by dossier code)" })
  @ApiOkResponse({ type: DossierPage })
  async list(
    @Query() query: ListDossiersQueryParams,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<DossierPage> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined) {
      throw new ValidationError('The cursor is not valid.', [
        { field: 'cursor', code: 'INVALID_CURSOR', message: 'cursor must be a cursor returned by a previous page' },
      ]);
    }
    const from = query.receivedFrom ? new Date(query.receivedFrom) : undefined;
    const to = query.receivedTo ? new Date(query.receivedTo) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw new ValidationError('The date range is empty.', [
        { field: 'receivedTo', code: 'BEFORE_RECEIVED_FROM', message: 'receivedTo must not be before receivedFrom' },
      ]);
    }
    const page = await this.listDossiers.execute(
      {
        communeCode: query.communeCode,
        status: query.status,
        procedureCode: query.procedureCode,
        receivedFrom: from,
        receivedTo: to,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        cursor,
        limit: query.limit ?? 20,
      },
      scopeOf(principal),
    );
    const now = this.clock.now();
    return {
      items: page.items.map((d) => DossierView.from(d, portalStatusCode[d.status], now)),
      ...(page.next ? { next: page.next } : {}),
    };
  }

  @Get(':dossierCode')
  @ApiOperation({ summary: 'A dossier with its status, history, pauses and open supplement request (masked)' })
  @ApiOkResponse({ type: DossierView })
  @ApiNotFoundResponse({ description: "Unknown, or outside the caller's communes" })
  async get(
    @Param('dossierCode') dossierCode: string,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<DossierView> {
    const dossier = await this.getDossier.execute(dossierCode, scopeOf(principal));
    return DossierView.from(dossier, portalStatusCode[dossier.status], this.clock.now());
  }

  @Post(':dossierCode/supplements')
  @UseGuards(JsonBodyGuard)
  @HttpCode(200)
  @ApiOperation({ summary: "Answer the LRO's open supplement request with documents" })
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: DossierView })
  @ApiNotFoundResponse({ description: "Unknown, or outside the caller's communes" })
  @ApiConflictResponse({ description: 'No open supplement request, or the same key still in flight' })
  async supplement(
    @Param('dossierCode') dossierCode: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: SupplementRequestBody,
    @CurrentPrincipal() principal: ClientPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierView> {
    const key = requireKey(idempotencyKey);
    const scope = scopeOf(principal);
    const { result, replayed } = await idempotent(
      this.keys,
      `${principal.clientId}|supplement|${dossierCode}`,
      key,
      { ...body },
      async () => {
        const dossier = await this.supplements.execute(
          {
            dossierCode,
            supplementRequestNumber: body.supplementRequestNumber,
            documents: body.documents.map(({ kind, fileName, mediaType, sizeBytes, sha256 }) => ({
              kind,
              fileName,
              mediaType,
              sizeBytes,
              sha256,
            })),
            note: body.note,
          },
          scope,
        );
        return DossierView.from(dossier, portalStatusCode[dossier.status], this.clock.now());
      },
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Post(':dossierCode/withdrawal')
  @UseGuards(JsonBodyGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'The citizen withdraws the dossier (portal status 7); a reason is required' })
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: DossierView })
  @ApiNotFoundResponse({ description: "Unknown, or outside the caller's communes" })
  @ApiConflictResponse({ description: 'The dossier can no longer be withdrawn, or the same key still in flight' })
  async withdraw(
    @Param('dossierCode') dossierCode: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: WithdrawalRequestBody,
    @CurrentPrincipal() principal: ClientPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierView> {
    const key = requireKey(idempotencyKey);
    const { result, replayed } = await idempotent(
      this.keys,
      `${principal.clientId}|withdrawal|${dossierCode}`,
      key,
      { ...body },
      async () => {
        const dossier = await this.withdrawals.execute(dossierCode, body.reason, scopeOf(principal));
        return DossierView.from(dossier, portalStatusCode[dossier.status], this.clock.now());
      },
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
