import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@lienthong/kernel';
import type { DossierStatusLog } from '../../domain/status-change';
import { MongoStatusLogRepository } from '../../infrastructure/mongo/mongo-status-log.repository';

@ApiTags('status')
@Controller('v1/status-logs')
export class StatusLogController {
  constructor(private readonly logs: MongoStatusLogRepository) {}

  @Get(':dossierCode')
  @ApiOperation({ summary: 'Status changes of a dossier known to notification' })
  async get(@Param('dossierCode') dossierCode: string): Promise<DossierStatusLog> {
    const log = await this.logs.findByCode(dossierCode);
    if (!log) throw new NotFoundError(`No status changes known for dossier ${dossierCode}.`);
    return log;
  }
}
