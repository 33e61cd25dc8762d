import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, WorkerAuthGuard, type WorkerPrincipal } from '@lienthong/auth';
import { ResolveReviewHandler } from '../../application/resolve-review.handler';
import { BullmqLookupQueue } from '../../infrastructure/queue/bullmq-lookup-queue';
import { BRANCH_COMMUNES, reviewerOf } from './reviewer';
import { toMatchView } from './match.view';

@ApiTags('matches')
@Controller('v1')
export class MatchController {
  constructor(
    private readonly requests: ResolveReviewHandler,
    private readonly queue: BullmqLookupQueue,
    @Inject(BRANCH_COMMUNES) private readonly branches: Map<string, Set<string>>,
  ) {}

  @Get('matches/:dossierCode')
  @UseGuards(WorkerAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Verification of a dossier's persons (identifiers masked); the worker's branch only" })
  async get(@CurrentPrincipal() worker: WorkerPrincipal, @Param('dossierCode') dossierCode: string) {
    const request = await this.requests.visible(dossierCode, reviewerOf(worker, this.branches));
    return toMatchView(request, this.queue.breaker.status(Date.now()).state !== 'CLOSED');
  }

  /** Operational state, not tenant data, but still not for the world: LRO workers and platform operators. */
  @Get('registry/status')
  @Allow('worker', 'operator')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Registry circuit breaker and lookup backlog (degraded mode when OPEN); workers and operators',
  })
  async status() {
    return { breaker: this.queue.breaker.status(Date.now()), backlog: await this.queue.backlog() };
  }
}
