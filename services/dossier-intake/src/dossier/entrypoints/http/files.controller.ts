import { createHash } from 'node:crypto';
import {
  Controller,
  HttpCode,
  Param,
  PayloadTooLargeException,
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
import { FileStore } from '../../application/file-store';
import { documentMediaTypes, maxDocumentBytes } from './dossier-actions.request';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/**
 * `PUT /v1/files/{sha256}`: uploads the bytes of a document the dossier lists by SHA-256 (intake-api.md: the file
 * is uploaded separately). The body is hashed while it streams in and stored only when it has that hash, so a file
 * is addressed by its content and an upload can be repeated safely.
 */
@ApiTags('files')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/files')
export class FilesController {
  constructor(private readonly files: FileStore) {}

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
    const chunks: Buffer[] = [];
    let size = 0;
    const hash = createHash('sha256');
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxDocumentBytes)
        throw new PayloadTooLargeException(`A file may have at most ${maxDocumentBytes} bytes.`);
      hash.update(chunk);
      chunks.push(chunk);
    }
    if (size === 0) {
      throw new ValidationError('The file is empty.', [
        { field: 'body', code: 'EMPTY', message: 'the file has no bytes' },
      ]);
    }
    if (hash.digest('hex') !== sha256) {
      throw new ValidationError('The file does not have the SHA-256 it is uploaded under.', [
        { field: 'sha256', code: 'SHA256_MISMATCH', message: 'the SHA-256 of the bytes differs from the address' },
      ]);
    }
    const existed = (await this.files.get(sha256)) !== null;
    await this.files.put(sha256, Buffer.concat(chunks));
    if (existed) response.status(200);
    return { sha256, sizeBytes: size };
  }
}
