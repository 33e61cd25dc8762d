import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsObject,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsUrl,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Channel, Gender, PartyRole } from '../../domain/dossier';
import { DocumentRequest } from './dossier-actions.request';

// Field names are fixed by the intake API contract (intake-api.md); this is the subset accepted so far.

export class PersonRequest {
  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName!: string;

  @ApiProperty({ example: '056080001234', description: '12-digit personal identification number' })
  @Matches(/^\d{12}$/, { message: 'personalIdNumber must be 12 digits' })
  personalIdNumber!: string;

  @ApiProperty({ example: '1980-03-15', description: 'YYYY-MM-DD, or YYYY when only the year is known' })
  @Matches(/^\d{4}(-\d{2}-\d{2})?$/, { message: 'dateOfBirth must be YYYY-MM-DD or YYYY' })
  dateOfBirth!: string;

  @ApiProperty({ enum: Object.values(Gender) })
  @IsIn(Object.values(Gender))
  gender!: Gender;

  @ApiPropertyOptional({ example: '0905123456' })
  @IsOptional()
  @Matches(/^0\d{9,10}$/, { message: 'phone must be a Vietnamese phone number (0 and 9–10 digits)' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

export class PartyRequest extends PersonRequest {
  @ApiProperty({ enum: Object.values(PartyRole) })
  @IsIn(Object.values(PartyRole))
  role!: PartyRole;
}

export class ParcelRequest {
  @ApiProperty({ example: '22657' })
  @Matches(/^\d{5}$/, { message: 'communeCode must be a 5-digit commune code' })
  communeCode!: string;

  @ApiProperty({ example: '12' })
  @Matches(/^\d{1,6}$/, { message: 'mapSheetNumber must be digits' })
  mapSheetNumber!: string;

  @ApiProperty({ example: '345' })
  @Matches(/^\d{1,6}$/, { message: 'parcelNumber must be digits' })
  parcelNumber!: string;

  @ApiProperty({ example: 120.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @IsPositive()
  areaM2!: number;

  @ApiProperty({ example: 'ONT' })
  @Matches(/^[A-Z]{2,4}$/, { message: 'landUseCode must be a land-use code such as ONT' })
  landUseCode!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

export class ExternalReferenceRequest {
  @ApiProperty({ example: 'one-stop-khanh-hoa' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  system!: string;

  @ApiProperty({ example: 'BN-2026-0001234' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id!: string;
}

/** The fields of a canonical submission (shared by `POST /v1/dossiers` and the lines of the backlog import). */
export class DossierFieldsRequest {
  @ApiProperty({ example: '1.013831', description: 'National administrative-procedure code (MaTTHC)' })
  @Matches(/^[12]\.\d{6}$/, { message: 'procedureCode must be a national procedure code such as 1.013831' })
  procedureCode!: string;

  @ApiPropertyOptional({ example: 'TRANSFER' })
  @IsOptional()
  @Matches(/^[A-Z_]{2,40}$/, { message: 'caseCode must be an upper-case catalogue case' })
  caseCode?: string;

  @ApiProperty({ example: '22657', description: '5-digit code of the receiving commune' })
  @Matches(/^\d{5}$/, { message: 'receivingUnitCode must be a 5-digit commune code' })
  receivingUnitCode!: string;

  @ApiProperty({ enum: Object.values(Channel) })
  @IsIn(Object.values(Channel))
  channel!: Channel;

  @ApiProperty({ example: '2026-11-23T08:15:00+07:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'receivedAt must carry a time-zone offset' })
  receivedAt!: string;

  @ApiProperty({ type: ExternalReferenceRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ExternalReferenceRequest)
  externalReference!: ExternalReferenceRequest;

  @ApiProperty({ type: PersonRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonRequest)
  applicant!: PersonRequest;

  @ApiProperty({ type: [PartyRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PartyRequest)
  parties!: PartyRequest[];

  @ApiProperty({ type: [ParcelRequest], description: 'Exactly one parcel in this version' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @ValidateNested({ each: true })
  @Type(() => ParcelRequest)
  parcels!: ParcelRequest[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string;

  @ApiPropertyOptional({ type: [DocumentRequest], description: 'Metadata and SHA-256 of each file, at most 50' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DocumentRequest)
  documents?: DocumentRequest[];
}

/** A document of a new submission: uploaded separately (`PUT /v1/files/{sha256}`), or given as a URL to fetch. */
export class SubmittedDocumentRequest extends DocumentRequest {
  @ApiPropertyOptional({
    example: 'https://files.one-stop.example.vn/hs/don-dang-ky-bien-dong.pdf',
    description:
      'Where the service fetches the file instead of an upload: https on a host of DOCUMENT_URL_HOSTS; checked against sizeBytes and sha256, then stored by SHA-256. Not kept with the dossier.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: false, require_valid_protocol: true },
    { message: 'url must be an absolute https URL' },
  )
  url?: string;
}

/** The body of `POST /v1/dossiers` (intake-api.md). */
export class SubmitDossierRequest extends DossierFieldsRequest {
  @ApiPropertyOptional({
    example: '000.00.56.H42-261123-0001',
    description:
      "The national dossier code the intake system already issued (MaHoSo): {agency electronic id}-{yyMMdd}-{NNNN} with the receiving unit's agency and the receipt day (Vietnam time); kept as the dossier's code. A code already in use is a 409. Otherwise the service issues the code.",
  })
  @IsOptional()
  @Matches(/^[0-9A-Z.]+-\d{6}-\d{4}$/, { message: 'dossierCode must be {agency electronic id}-{yyMMdd}-{NNNN}' })
  dossierCode?: string;

  @ApiPropertyOptional({
    type: [SubmittedDocumentRequest],
    description: 'Metadata and SHA-256 of each file, at most 50; a file is uploaded separately or given as a url',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubmittedDocumentRequest)
  declare documents?: SubmittedDocumentRequest[];
}
