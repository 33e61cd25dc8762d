import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { NotFoundError } from '@lienthong/kernel';
import { DirectoryRepository } from '../../../delivery/domain/delivery.ports';
import type { DossierStatusLog } from '../../domain/status-change';
import { MongoStatusLogRepository } from '../../infrastructure/mongo/mongo-status-log.repository';

/**
 * The status changes of a dossier, for the intake system that submitted it only: dossier codes are sequential, so
 * an open or any-client endpoint would let one caller enumerate every tenant's progress (issue 14). The owner is the
 * client recorded with the dossier's contacts; another client's dossier, or one without a known owner, is absent.
 */
@ApiTags('status')
@ApiBearerAuth()
@UseGuards(ClientAuthGuard)
@Controller('v1/status-logs')
export class StatusLogController {
  constructor(
    private readonly logs: MongoStatusLogRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  @Get(':dossierCode')
  @ApiOperation({ summary: 'Status changes of a dossier of the calling intake system' })
  @ApiNotFoundResponse({ description: 'No status change known for this dossier of this client' })
  async get(
    @Param('dossierCode') dossierCode: string,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<DossierStatusLog> {
    const [log, contacts] = await Promise.all([
      this.logs.findByCode(dossierCode),
      this.directory.findContacts(dossierCode),
    ]);
    if (!log || contacts?.clientId !== principal.clientId) {
      throw new NotFoundError(`No status changes known for dossier ${dossierCode}.`);
    }
    return log;
  }
}
