import {
  Controller,
  HttpCode,
  Optional,
  Param,
  Put,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard } from '@lienthong/auth';
import { ValidationError } from '@lienthong/kernel';
import type { Request, Response } from 'express';
import { FileStore, FileTooLargeError } from '@lienthong/file-store';
import { DocumentLimits } from '../../application/document-limits';
import { documentMediaTypes } from './dossier-actions.request';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/**
 * `PUT /v1/files/{sha256}`: uploads the bytes of a document the dossier lists by SHA-256 (intake-api.md: the file
 * is uploaded separately). The body streams into the document store through a hash and is stored under its
 * address only when it has that hash (413 over MAX_DOCUMENT_BYTES, 400 on another hash, 503 with Retry-After when
 * the store is down), so a file is addressed by its content and an upload can be repeated safely.
 */
@ApiTags('files')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/files')
export class FilesController {
  constructor(
    private readonly files: FileStore,
    @Optional() private readonly limits: DocumentLimits = new DocumentLimits(),
  ) {}

  @Put(':sha256')
  @HttpCode(201)
  @ApiOperation({ summary: 'Upload a document file under its SHA-256 (checked); repeating it is a no-op' })
  @ApiConsumes(...documentMediaTypes)
  @ApiCreatedResponse({ description: '`{ sha256, sizeBytes }`; 200 when the file was already stored' })
  async put(
    @Param('sha256') sha256: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ sha256: string; sizeBytes: number }> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new ValidationError('The file address is not a SHA-256.', [
        { field: 'sha256', code: 'MATCHES', message: 'sha256 must be 64 lower-case hexadecimal digits' },
      ]);
    }
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (!type || !(documentMediaTypes as readonly string[]).includes(type)) {
      throw new UnsupportedMediaTypeException(`Content-Type must be one of ${documentMediaTypes.join(', ')}`);
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.limits.maxFileBytes) {
      // Refused before a byte is read; Node discards the rest of the body.
      throw new FileTooLargeError(this.limits.maxFileBytes);
    }
    if (declared === 0 || sha256 === emptySha256) throw emptyFile();
    const existed = await this.files.has(sha256);
    // Streamed into the store through the hash: the service never holds the file (ADR 0007).
    const stored = await this.files.put(sha256, request, { maxBytes: this.limits.maxFileBytes, mediaType: type });
    if (existed) response.status(200);
    return stored;
  }
}

/** SHA-256 of no bytes: a document always has some. */
const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function emptyFile(): ValidationError {
  return new ValidationError('The file is empty.', [
    { field: 'body', code: 'EMPTY', message: 'the file has no bytes' },
  ]);
}
