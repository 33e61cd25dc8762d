import { Body, Controller, HttpCode, Inject, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { NotFoundError } from '@lienthong/kernel';
import type { Response } from 'express';
import { ReceiveTiepNhanHandler } from '../../../application/receive-tiepnhan/receive-tiepnhan.handler';
import { ReferenceLookups } from '../../../domain/submission-rules';
import { JsonBodyGuard } from '../json-body.guard';
import { VbdlisBodyGuard } from './vbdlis-body.guard';
import { mapTiepNhan, type ProcedureTable } from './vbdlis-mapping';
import { vbdlisAnswer, VbdlisResponseFilter, type VbdlisResponse } from './vbdlis-response.filter';
import { VbdlisTiepNhanRequest } from './vbdlis-tiepnhan.request';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/** DI token of the one-stop → catalogue procedure table (VBDLIS_PROCEDURE_MAP). */
export const VBDLIS_PROCEDURES = Symbol('VBDLIS_PROCEDURES');

/**
 * The compatibility endpoint: the `tiepnhan` request one-stop systems already send to land information systems
 * (domain.md §7), answered in that system's shape. Same token, scope and rules as the canonical API.
 */
@ApiTags('compatibility')
@ApiBearerAuth()
@UseFilters(VbdlisResponseFilter)
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/compat/vbdlis')
export class VbdlisController {
  constructor(
    private readonly receive: ReceiveTiepNhanHandler,
    private readonly lookups: ReferenceLookups,
    @Inject(VBDLIS_PROCEDURES) private readonly procedures: ProcedureTable,
  ) {}

  @Post('tiepnhan')
  @UseGuards(JsonBodyGuard, VbdlisBodyGuard)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Receive a dossier in the VBDLIS tiepnhan format (idempotent on the receipt number)',
    description:
      'Attachments come base64-encoded in the body, so this route accepts bodies up to VBDLIS_MAX_BODY_BYTES ' +
      '(default 70 MiB; every other route: 1 MB). At most VBDLIS_LARGE_BODIES bodies over 1 MB are received at a ' +
      'time; the next is answered 503 with Retry-After. 503 with Retry-After too when the document store is down; ' +
      'nothing is stored then.',
  })
  @ApiOkResponse({ description: '`{ data: 1, status: { success: true, ... } }`; refusals have `data: 0`' })
  @ApiPayloadTooLargeResponse({
    description: 'The body is larger than VBDLIS_MAX_BODY_BYTES, or a file than MAX_DOCUMENT_BYTES',
  })
  @ApiServiceUnavailableResponse({
    description: 'Too many large bodies at once, or the document store is down; nothing stored (Retry-After)',
    headers: { 'Retry-After': { description: 'Seconds to wait before sending again', schema: { type: 'integer' } } },
  })
  async tiepnhan(
    @Body() body: VbdlisTiepNhanRequest,
    @CurrentPrincipal() principal: ClientPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VbdlisResponse> {
    const commune = String(body.XaId).padStart(5, '0');
    if (!principal.communes.includes(commune)) throw new NotFoundError(`Commune ${commune} was not found.`);
    const mapped = mapTiepNhan(body, this.lookups, this.procedures);
    const { result, replayed } = await this.receive.execute({ clientId: principal.clientId, ...mapped });
    response.setHeader('Location', result.links.self);
    if (replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
      response.status(200);
    }
    return vbdlisAnswer(
      true,
      replayed ? 200 : 201,
      `Đã tiếp nhận hồ sơ ${result.dossierCode}, hạn trả kết quả ${result.dueAt}.`,
    );
  }
}
