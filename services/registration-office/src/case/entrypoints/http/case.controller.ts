import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, WorkerAuthGuard, type WorkerPrincipal } from '@lienthong/auth';
import { ValidationError } from '@lienthong/kernel';
import type { Response } from 'express';
import { ClaimCaseHandler } from '../../application/claim-case/claim-case.handler';
import type { CaseView } from '../../application/case-view';
import { DashboardHandler, type DashboardView } from '../../application/dashboard/dashboard.handler';
import { GetCaseHandler } from '../../application/get-case/get-case.handler';
import { MoveCaseHandler, type MoveResult } from '../../application/move-case/move-case.handler';
import { TransitionCaseHandler } from '../../application/transition-case/transition-case.handler';
import { WorklistHandler, type WorklistFilters, type WorklistPage } from '../../application/worklist/worklist.handler';
import { AssignRequest, MoveRequest, TransitionRequest } from './case.request';

/**
 * The back-office API (office-api.md). Every route needs a worker token; the branch comes from the token only and
 * another branch's case is a 404. Identification numbers are stored and shown masked.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(WorkerAuthGuard)
@Controller('v1')
export class CaseController {
  constructor(
    private readonly getCase: GetCaseHandler,
    private readonly transition: TransitionCaseHandler,
    private readonly claims: ClaimCaseHandler,
    private readonly worklistHandler: WorklistHandler,
    private readonly dashboardHandler: DashboardHandler,
    private readonly mover: MoveCaseHandler,
  ) {}

  @Get('worklist')
  @ApiOperation({ summary: "The branch's open cases, soonest due first, with filters and cursor pagination" })
  async worklist(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Query() filters: WorklistFilters,
  ): Promise<WorklistPage> {
    return this.worklistHandler.execute(worker.branch, filters);
  }

  @Get('dashboard')
  @Roles('supervisor')
  @ApiOperation({ summary: "Counts of the branch's open cases by state, overdue, due soon and commune (supervisor)" })
  async dashboard(@CurrentPrincipal() worker: WorkerPrincipal): Promise<DashboardView> {
    return this.dashboardHandler.execute(worker.branch);
  }

  @Get('cases/:dossierCode')
  @ApiOperation({ summary: 'A case: state, clock, persons (masked) with verdicts, documents, history, actions' })
  async get(@CurrentPrincipal() worker: WorkerPrincipal, @Param('dossierCode') dossierCode: string): Promise<CaseView> {
    return this.getCase.execute(dossierCode, worker);
  }

  @Get('cases/:dossierCode/audit')
  @ApiOperation({ summary: "The case's audit trail with its hash chain, and whether the chain is intact" })
  async audit(@CurrentPrincipal() worker: WorkerPrincipal, @Param('dossierCode') dossierCode: string) {
    return this.getCase.audit(dossierCode, worker);
  }

  @Post('cases/:dossierCode/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim the case (expiring lease); claiming again renews it' })
  async claim(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
  ): Promise<CaseView> {
    return this.claims.claim(dossierCode, worker);
  }

  @Post('cases/:dossierCode/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the claim up (the holder, or a supervisor)' })
  async release(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
  ): Promise<CaseView> {
    return this.claims.release(dossierCode, worker);
  }

  @Post('cases/:dossierCode/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the case to a worker of the branch (supervisor)' })
  async assign(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Body() body: AssignRequest,
  ): Promise<CaseView> {
    return this.claims.assign(dossierCode, body.userId, worker);
  }

  @Post('cases/:dossierCode/move')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'At most 255 characters; retries reuse it' })
  @ApiOperation({
    summary:
      'Move a misrouted case to another branch of the province (supervisor; reason required; audited; case.moved). The case leaves this branch: afterwards it is a 404 here',
  })
  async move(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: MoveRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MoveResult> {
    const { result, replayed } = await this.mover.execute({
      dossierCode,
      idempotencyKey: requireIdempotencyKey(idempotencyKey),
      branchCode: body?.branchCode,
      reason: body?.reason,
      worker,
    });
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Post('cases/:dossierCode/transitions')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'At most 255 characters; retries reuse it' })
  @ApiOperation({ summary: 'Apply an action; 409 with the reason when not allowed now, 403 for a role that may not' })
  async act(
    @CurrentPrincipal() worker: WorkerPrincipal,
    @Param('dossierCode') dossierCode: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: TransitionRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    if (!idempotencyKey || idempotencyKey.length > 255) {
      throw new ValidationError('The Idempotency-Key header is required.', [
        {
          field: 'Idempotency-Key',
          code: 'REQUIRED',
          message: 'Idempotency-Key header of 1–255 characters is required',
        },
      ]);
    }
    const { view, replayed } = await this.transition.execute({
      dossierCode,
      idempotencyKey,
      action: body.action,
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
      ...(body.details !== undefined ? { details: body.details } : {}),
      worker,
    });
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return view;
  }
}

/** The Idempotency-Key header, 1–255 characters, or a 400. */
function requireIdempotencyKey(key: string | undefined): string {
  if (!key || key.length > 255) {
    throw new ValidationError('The Idempotency-Key header is required.', [
      { field: 'Idempotency-Key', code: 'REQUIRED', message: 'Idempotency-Key header of 1–255 characters is required' },
    ]);
  }
  return key;
}
