import { Readable } from 'node:stream';
import {
  Controller,
  Get,
  HttpCode,
  Param,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, WorkerAuthGuard, type WorkerPrincipal } from '@lienthong/auth';
import type { Request, Response } from 'express';
import { CaseAttachmentsHandler } from '../../application/attachments/case-attachments.handler';
import { resultKinds, resultMediaTypes, type CaseAttachment } from '../../domain/case-attachments';

/**
 * The case's files (office-api.md): `GET` streams one to a worker of the case's branch, `PUT` adds a result scan.
 * The bytes flow between the object store and the HTTP connection without being held whole in memory.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(WorkerAuthGuard)
@Controller('v1/cases/:dossierCode/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: CaseAttachmentsHandler) {}

  @Get(':sha256')
  @ApiOperation({
    summary: "Download an attachment of the case (workers of the case's branch; each read is audited)",
    description:
      'Content-Type is the media type the dossier declared, Content-Disposition a generated `<kind>-<sha8>.<ext>` ' +
      "(never the citizen's file name). 404 for another branch's case, a hash that is not an attachment of the case, " +
      'or a file that has not reached the document store yet; 503 with Retry-After while the store is down.',
  })
  @ApiProduces(...resultMediaTypes, 'image/tiff')
  @ApiOkResponse({ description: 'The bytes of the file' })
  async download(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Param('sha256') sha256: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.attachments.open(dossierCode, sha256, worker);
    // Personal documents: never kept by shared caches, never sniffed into another type by the browser.
    response.setHeader('Cache-Control', 'private, no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('ETag', `"${file.attachment.sha256}"`);
    const body = file.body instanceof Readable ? file.body : new Readable().wrap(file.body);
    return new StreamableFile(body, {
      type: file.attachment.mediaType,
      length: file.sizeBytes,
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Put(':sha256')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload a result scan (e.g. the issued certificate) for the case',
    description:
      'The body is the file (application/pdf, image/jpeg or image/png), stored under its SHA-256 after the hash is ' +
      'checked while it streams in. The worker holds the claim of the open case (officer or approver). Recorded on ' +
      'the case as an `LRO_RESULT` attachment and audited; `ISSUE_CERTIFICATE` names it in ' +
      '`details.certificateScanSha256`. 201 when added, 200 when the case already had the file.',
  })
  @ApiConsumes(...resultMediaTypes)
  @ApiQuery({ name: 'kind', required: false, enum: Object.keys(resultKinds), description: 'Default CERTIFICATE_SCAN' })
  @ApiCreatedResponse({ description: 'The attachment as the case lists it' })
  async upload(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Param('sha256') sha256: string,
    @Query('kind') kind: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseAttachment> {
    const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (!mediaType || !(resultMediaTypes as readonly string[]).includes(mediaType)) {
      throw new UnsupportedMediaTypeException(`Content-Type must be one of ${resultMediaTypes.join(', ')}`);
    }
    const length = Number(request.headers['content-length']);
    const { attachment, created } = await this.attachments.upload({
      dossierCode,
      sha256,
      mediaType,
      ...(kind !== undefined ? { kind } : {}),
      body: request,
      ...(Number.isSafeInteger(length) && length >= 0 ? { declaredBytes: length } : {}),
      worker,
    });
    if (!created) response.status(200);
    return attachment;
  }
}
