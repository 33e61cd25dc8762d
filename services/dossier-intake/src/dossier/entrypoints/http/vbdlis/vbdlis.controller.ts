import { Body, Controller, HttpCode, Inject, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { NotFoundError } from '@lienthong/kernel';
import type { Response } from 'express';
import { ReceiveTiepNhanHandler } from '../../../application/receive-tiepnhan/receive-tiepnhan.handler';
import { ReferenceLookups } from '../../../domain/submission-rules';
import { JsonBodyGuard } from '../json-body.guard';
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
  @UseGuards(JsonBodyGuard)
  @HttpCode(201)
  @ApiOperation({ summary: 'Receive a dossier in the VBDLIS tiepnhan format (idempotent on the receipt number)' })
  @ApiOkResponse({ description: '`{ data: 1, status: { success: true, ... } }`; refusals have `data: 0`' })
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
