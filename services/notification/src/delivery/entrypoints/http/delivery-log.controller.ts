import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { NotFoundError, ValidationError } from '@lienthong/kernel';
import { DeliveryRepository, type DeliveryLogEntry } from '../../domain/delivery.ports';

const dossierCodePattern = /^[0-9A-Za-z._-]{1,64}$/;

export class DeliveryLogResponse {
  @ApiProperty({ example: '000.00.56.H42-261123-0001' })
  dossierCode!: string;

  @ApiProperty({
    description:
      'One entry per message decided (status event × channel × recipient), oldest first: channel (SMS, ZALO, EMAIL, WEBHOOK), masked recipient, template, status (PENDING, SENT, RETRYING, FAILED), attempts, provider, last error code.',
    isArray: true,
    example: [
      {
        deliveryId: '5f0c3a8e2b9d4c1e8a7f6b5d4c3b2a19',
        eventId: '019ab1a4-2c10-7d5e-8f31-6a9c0b2d4e07',
        channel: 'SMS',
        recipient: '0905****56',
        template: 'supplement-requested.sms',
        status: 'SENT',
        attempts: 1,
        plannedAt: '2026-11-25T03:40:05.120Z',
        lastAttemptAt: '2026-11-25T03:40:05.310Z',
        provider: 'primary',
      },
    ],
  })
  deliveries!: DeliveryLogEntry[];
}

/** The delivery log of a dossier, for the intake system that submitted it. */
@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(ClientAuthGuard)
@Controller('v1/dossiers/:dossierCode/deliveries')
export class DeliveryLogController {
  constructor(private readonly deliveries: DeliveryRepository) {}

  @Get()
  @ApiOperation({ summary: 'What was sent to whom about a dossier (recipients masked)' })
  @ApiOkResponse({ type: DeliveryLogResponse })
  @ApiNotFoundResponse({ description: 'No delivery known for this dossier of this client' })
  async get(
    @Param('dossierCode') dossierCode: string,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<DeliveryLogResponse> {
    if (!dossierCodePattern.test(dossierCode)) {
      throw new ValidationError('The dossier code is malformed.', [
        { field: 'dossierCode', code: 'INVALID_FORMAT', message: 'dossierCode must match ^[0-9A-Za-z._-]{1,64}$' },
      ]);
    }
    const deliveries = await this.deliveries.logOf(dossierCode, principal.clientId);
    // Another client's dossier is absent, not forbidden (architecture §7).
    if (deliveries.length === 0) throw new NotFoundError(`No deliveries known for dossier ${dossierCode}.`);
    return { dossierCode, deliveries };
  }
}
