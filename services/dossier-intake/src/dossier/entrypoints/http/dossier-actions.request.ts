import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DossierStatus } from '../../domain/dossier';
import { maxDocumentBytesCeiling } from '../../application/document-limits';

/** Media types accepted for dossier documents. */
export const documentMediaTypes = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const;
/**
 * Largest size a document's metadata may state at all; the deployment's limit (MAX_DOCUMENT_BYTES, default 50 MiB)
 * is checked when the dossier is submitted and while the bytes stream into the store.
 */
export const maxDocumentBytes = maxDocumentBytesCeiling;

/** Metadata and SHA-256 of one document (the file itself is uploaded separately or through the compatibility API). */
export class DocumentRequest {
  @ApiProperty({ example: 'APPLICATION_FORM', description: 'Document kind (component code) from the catalogue' })
  @Matches(/^[A-Z][A-Z0-9_]{1,59}$/, { message: 'kind must be an upper-case document kind such as APPLICATION_FORM' })
  kind!: string;

  @ApiProperty({ example: 'don-dang-ky-bien-dong.pdf' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[^/\\]+$/, { message: 'fileName must be a plain file name' })
  fileName!: string;

  @ApiProperty({ enum: documentMediaTypes })
  @IsIn(documentMediaTypes)
  mediaType!: string;

  @ApiProperty({ example: 182113, description: 'Bytes, 1 to MAX_DOCUMENT_BYTES (default 52428800, 50 MiB)' })
  @IsInt()
  @Min(1)
  @Max(maxDocumentBytes)
  sizeBytes!: number;

  @ApiProperty({ example: '9f2b5c0e5a1d4b7f8e3c6a9d2b1f0e4c7a8d5b2e9f1c3a6d8b0e2f4a6c8d0b1e' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hexadecimal digits' })
  sha256!: string;
}

export class SupplementRequestBody {
  @ApiPropertyOptional({ example: 1, description: 'The supplement request answered; must be the open one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  supplementRequestNumber?: number;

  @ApiProperty({ type: [DocumentRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => DocumentRequest)
  documents!: DocumentRequest[];

  @ApiPropertyOptional({ description: 'Free text for the LRO; no personal data' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note?: string;
}

export class WithdrawalRequestBody {
  @ApiProperty({ example: 'Người nộp hồ sơ xin rút để bổ sung hợp đồng công chứng mới' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ListDossiersQueryParams {
  @ApiPropertyOptional({ example: '22657' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'communeCode must be a 5-digit commune code' })
  communeCode?: string;

  @ApiPropertyOptional({ enum: Object.values(DossierStatus) })
  @IsOptional()
  @IsIn(Object.values(DossierStatus))
  status?: DossierStatus;

  @ApiPropertyOptional({ example: '1.013831' })
  @IsOptional()
  @Matches(/^[12]\.\d{6}$/, { message: 'procedureCode must be a national procedure code such as 1.013831' })
  procedureCode?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+07:00', description: 'Received at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+07:00', description: 'Received before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedTo?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Past the due date and still being worked on' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'The `next` cursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ example: 20, description: '1 to 100, default 20' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
