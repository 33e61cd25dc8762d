import { Readable } from 'node:stream';
import { Controller, Get, Param, Res, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import type { Response } from 'express';
import { ReadDocumentHandler } from '../../application/read-document/read-document.handler';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

/**
 * `GET /v1/dossiers/{dossierCode}/documents/{sha256}`: the bytes of a document the dossier lists
 * (`GET /v1/dossiers/{dossierCode}` → `documents[]`), streamed from the document store. This is how the intake
 * system gets the LRO's result back (the certificate scan), without a copy in any event.
 */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/dossiers/:dossierCode/documents')
export class DossierDocumentsController {
  constructor(private readonly documents: ReadDocumentHandler) {}

  @Get(':sha256')
  @ApiOperation({ summary: "Download a document of the dossier (within the caller's communes)" })
  @ApiOkResponse({ description: 'The bytes, with Content-Type, Content-Length and Content-Disposition' })
  @ApiNotFoundResponse({
    description: "Unknown dossier or outside the caller's communes, a hash the dossier does not list, or not uploaded",
  })
  async read(
    @CurrentPrincipal() principal: ClientPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Param('sha256') sha256: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const document = await this.documents.execute(dossierCode, sha256, {
      clientId: principal.clientId,
      communes: principal.communes,
    });
    response.setHeader('Cache-Control', 'private, no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('ETag', `"${sha256}"`);
    // Express encodes the intake system's own file name safely (RFC 6266, with an ASCII fallback); it also guesses a
    // type from the name's extension, which the declared media type then replaces.
    response.attachment(document.fileName);
    response.setHeader('Content-Type', document.mediaType);
    const body = document.body instanceof Readable ? document.body : new Readable().wrap(document.body);
    return new StreamableFile(body, { type: document.mediaType, length: document.sizeBytes });
  }
}
