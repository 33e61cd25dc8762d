import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@lienthong/kernel';
import type { Response } from 'express';
import { portalStatusCode } from '../../domain/dossier';
import { GetDossierHandler } from '../../application/get-dossier/get-dossier.handler';
import {
  SubmitDossierCommand,
  type SubmitDossierResult,
} from '../../application/submit-dossier/submit-dossier.command';
import { SubmitDossierHandler } from '../../application/submit-dossier/submit-dossier.handler';
import { DossierView, SubmitDossierResponse } from './dossier.response';
import { SubmitDossierRequest } from './submit-dossier.request';

/**
 * The intake system this request acts for. Bearer-token authentication (client id and communes from the verified
 * token) is not wired yet; until it is, every request acts as the development client.
 */
const developmentClient = 'development';

@ApiTags('dossiers')
@Controller('v1/dossiers')
export class DossierController {
  constructor(
    private readonly submit: SubmitDossierHandler,
    private readonly getDossier: GetDossierHandler,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit a dossier received at the one-stop desk' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'At most 255 characters; retries reuse it' })
  @ApiCreatedResponse({ type: SubmitDossierResponse })
  async create(
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: SubmitDossierRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SubmitDossierResult> {
    if (!contentType?.toLowerCase().startsWith('application/json')) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    if (!idempotencyKey || idempotencyKey.length > 255) {
      throw new ValidationError('The Idempotency-Key header is required.', [
        {
          field: 'Idempotency-Key',
          code: 'REQUIRED',
          message: 'Idempotency-Key header of 1–255 characters is required',
        },
      ]);
    }
    const { result, replayed } = await this.submit.execute(
      new SubmitDossierCommand(developmentClient, idempotencyKey, { ...body }),
    );
    response.setHeader('Location', result.links.self);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get(':dossierCode')
  @ApiOperation({ summary: 'A dossier with its status and history (identifiers masked)' })
  @ApiOkResponse({ type: DossierView })
  async get(@Param('dossierCode') dossierCode: string): Promise<DossierView> {
    const dossier = await this.getDossier.execute(dossierCode);
    return DossierView.from(dossier, portalStatusCode[dossier.status]);
  }
}
