import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Case } from '../../domain/case';
import { GetCaseHandler } from '../../application/get-case/get-case.handler';

/** The case as the back office sees it; identification numbers are stored and shown masked. */
@ApiTags('cases')
@Controller('v1/cases')
export class CaseController {
  constructor(private readonly getCase: GetCaseHandler) {}

  @Get(':dossierCode')
  @ApiOperation({ summary: 'A case with its state, persons (masked), parcels and history' })
  async get(@Param('dossierCode') dossierCode: string): Promise<Case> {
    return this.getCase.execute(dossierCode);
  }
}
