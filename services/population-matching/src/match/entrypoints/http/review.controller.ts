import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, WorkerAuthGuard, type WorkerPrincipal } from '@lienthong/auth';
import { maskPersonalId } from '@lienthong/kernel';
import { IsIn, IsString, Length } from 'class-validator';
import { ResolveReviewHandler } from '../../application/resolve-review.handler';
import { VerificationRequests } from '../../domain/match.ports';
import { inReviewScope } from '../../domain/review-scope';
import { reasonsOf } from '../../domain/verification-request';
import { BRANCH_COMMUNES, reviewerOf } from './reviewer';

export class ResolutionRequest {
  @ApiProperty({ enum: ['MATCHED', 'MISMATCH'], description: "The officer's decision." })
  @IsIn(['MATCHED', 'MISMATCH'])
  verdict!: 'MATCHED' | 'MISMATCH';

  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'Why (kept in the audit and in match.resolved).' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/** The manual review queue: persons whose match is probable but not certain, for LRO officers of the branch. */
@ApiTags('reviews')
@ApiBearerAuth()
@UseGuards(WorkerAuthGuard)
@Controller('v1')
export class ReviewController {
  constructor(
    private readonly requests: VerificationRequests,
    private readonly resolver: ResolveReviewHandler,
    @Inject(BRANCH_COMMUNES) private readonly branches: Map<string, Set<string>>,
  ) {}

  @Get('reviews')
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: "Persons awaiting review in the worker's branch (NEEDS_REVIEW, not yet resolved)" })
  async list(@CurrentPrincipal() worker: WorkerPrincipal) {
    const communes = reviewerOf(worker, this.branches).communes;
    const requests = (await this.requests.needingReview(500)).filter((r) => inReviewScope(r, communes));
    return {
      items: requests.flatMap((r) =>
        r.persons
          .map((p, index) => ({ p, index }))
          .filter(({ p }) => p.result?.verdict === 'NEEDS_REVIEW' && !p.result.resolution)
          .map(({ p, index }) => ({
            dossierCode: r.dossierCode,
            index,
            role: p.role,
            fullName: p.fullName,
            maskedPersonalId: maskPersonalId(p.personalIdNumber),
            mismatchedFields: p.result!.mismatchedFields,
            reasons: reasonsOf(p),
            score: p.result!.score,
            checkedAt: p.result!.checkedAt,
          })),
      ),
    };
  }

  @Post('matches/:dossierCode/persons/:index/resolution')
  @HttpCode(204)
  @Roles('officer')
  @ApiOperation({
    summary: 'Resolve a NEEDS_REVIEW person as MATCHED or MISMATCH with a reason (emits match.resolved)',
  })
  async resolve(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Param('index', ParseIntPipe) index: number,
    @Body() body: ResolutionRequest,
  ): Promise<void> {
    await this.resolver.resolve(dossierCode, index, body, reviewerOf(worker, this.branches));
  }
}
