import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { maskPersonalId, NotFoundError } from '@lienthong/kernel';
import { MongoVerificationRequestRepository } from '../../infrastructure/mongo/mongo-verification-request.repository';

@ApiTags('matches')
@Controller('v1/matches')
export class MatchController {
  constructor(private readonly requests: MongoVerificationRequestRepository) {}

  @Get(':dossierCode')
  @ApiOperation({ summary: 'Verification state of the persons on a dossier (identifiers masked)' })
  async get(@Param('dossierCode') dossierCode: string): Promise<unknown> {
    const request = await this.requests.findByCode(dossierCode);
    if (!request) throw new NotFoundError(`No verification request for dossier ${dossierCode}.`);
    return {
      ...request,
      persons: request.persons.map((p) => ({ ...p, personalIdNumber: maskPersonalId(p.personalIdNumber) })),
    };
  }
}
