import { Body, Controller, Get, HttpCode, Put, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ClientAuthGuard, CurrentPrincipal, type ClientPrincipal } from '@lienthong/auth';
import { NotFoundError } from '@lienthong/kernel';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SubscribeWebhookHandler } from '../../application/subscribe-webhook.handler';
import { webhookSecretPattern } from '../../domain/webhook-subscription';
import {
  ClientRateLimitGuard,
  rateLimitedResponse,
} from '../../../rate-limit/entrypoints/http/client-rate-limit.guard';

export class WebhookSubscriptionRequest {
  @ApiProperty({ example: 'https://motcua.khanhhoa.gov.vn/hooks/lienthong', description: 'https callback URL' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Standard Webhooks secret (`whsec_` + base64 of 24–64 bytes); generated when absent',
  })
  @IsOptional()
  @Matches(webhookSecretPattern, { message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes' })
  secret?: string;
}

export class WebhookSubscriptionResponse {
  @ApiProperty({ example: 'one-stop-khanh-hoa' })
  clientId!: string;
  @ApiProperty({ example: 'https://motcua.khanhhoa.gov.vn/hooks/lienthong' })
  url!: string;
  @ApiPropertyOptional({ description: 'Only in the answer to PUT: the secret the callbacks are signed with' })
  secret?: string;
  @ApiProperty({ example: '2026-11-20T02:00:00.000Z' })
  subscribedAt!: string;
}

/** The intake system's callback for the status changes of its dossiers (signed Standard Webhooks). */
@ApiTags('subscriptions')
@ApiBearerAuth()
@ApiTooManyRequestsResponse(rateLimitedResponse)
@UseGuards(ClientAuthGuard, ClientRateLimitGuard)
@Controller('v1/subscriptions/webhook')
export class WebhookSubscriptionController {
  constructor(private readonly subscribe: SubscribeWebhookHandler) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set or replace the status-change webhook (URL and signing secret)' })
  @ApiOkResponse({ type: WebhookSubscriptionResponse })
  async put(
    @Body() body: WebhookSubscriptionRequest,
    @CurrentPrincipal() principal: ClientPrincipal,
  ): Promise<WebhookSubscriptionResponse> {
    return this.subscribe.execute(principal.clientId, { url: body.url, secret: body.secret });
  }

  @Get()
  @ApiOperation({ summary: 'The webhook in force (without its secret)' })
  @ApiOkResponse({ type: WebhookSubscriptionResponse })
  @ApiNotFoundResponse({ description: 'No webhook registered' })
  async get(@CurrentPrincipal() principal: ClientPrincipal): Promise<WebhookSubscriptionResponse> {
    const current = await this.subscribe.current(principal.clientId);
    if (!current) throw new NotFoundError('No webhook is registered for this client.');
    return current;
  }
}
