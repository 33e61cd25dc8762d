import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Body of `POST /v1/cases/{code}/transitions`. */
export class TransitionRequest {
  @ApiProperty({ example: 'REQUEST_SUPPLEMENT', description: 'One of the actions of office-api.md' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  action!: string;

  @ApiPropertyOptional({ description: 'Why; required for REJECT, STOP, REQUEST_SUPPLEMENT and OVERRIDE_MATCH' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({
    description:
      'What the action needs: missingDocuments (REQUEST_SUPPLEMENT), taxAuthorityCode (SEND_TO_TAX), taxNoticeNumber and amount (RECORD_OBLIGATION_MET), certificateSerial (ISSUE_CERTIFICATE), returnChannel (RETURN_RESULT), person (OVERRIDE_MATCH: index of the person)',
  })
  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

/** Body of `POST /v1/cases/{code}/move` (ADR 0008). */
export class MoveRequest {
  @ApiProperty({ example: 'KH-DIENKHANH', description: 'Code of a branch of the same province' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  branchCode!: string;

  @ApiProperty({ example: 'The parcel lies in Diên Điền, not in Vạn Hưng', description: 'Why; required' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

/** Body of `POST /v1/cases/{code}/assign`. */
export class AssignRequest {
  @ApiProperty({ example: 'officer-0042' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  userId!: string;
}
