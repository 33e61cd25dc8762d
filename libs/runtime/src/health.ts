import { Public } from '@lienthong/auth';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** One dependency a service needs to do its work (Kafka, the database, Redis). */
export interface DependencyCheck {
  /** Name shown in the readiness answer. */
  readonly name: string;
  /** Resolves with the round-trip latency in ms; rejects when the dependency is unusable. */
  check(timeoutMs: number): Promise<number>;
}

/** DI token for the list of DependencyCheck of a service. */
export const DEPENDENCY_CHECKS = Symbol('DEPENDENCY_CHECKS');
/** DI token for the readiness settings. */
export const HEALTH_SETTINGS = Symbol('HEALTH_SETTINGS');

/** Shared, mutable state of the process seen by probes. */
export class ProcessState {
  /** Set at the start of graceful shutdown, so load balancers stop sending work before the server closes. */
  draining = false;
  /** Last status reported by the Kafka consumer (`connected`, `rebalancing`, `crashed`...). */
  consumerStatus = 'starting';
}

export interface HealthSettings {
  timeoutMs: number;
}

/** Per-dependency result in the readiness answer. */
export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs?: number;
  error?: string;
}

/**
 * `GET /health/live`: the process is running and its event loop answers (restart it if not).
 * `GET /health/ready`: every dependency answered within the timeout and the Kafka consumer is not crashed or stopped
 * (send it work only if so); 503 with the failing parts otherwise, and while draining.
 */
@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DEPENDENCY_CHECKS) private readonly checks: DependencyCheck[],
    @Inject(HEALTH_SETTINGS) private readonly settings: HealthSettings,
    private readonly state: ProcessState,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<{
    status: 'ready' | 'not-ready';
    draining: boolean;
    consumer: string;
    dependencies: Record<string, DependencyStatus>;
  }> {
    const results = await Promise.all(
      this.checks.map(async (dependency): Promise<[string, DependencyStatus]> => {
        try {
          return [dependency.name, { status: 'up', latencyMs: await dependency.check(this.settings.timeoutMs) }];
        } catch (error) {
          return [dependency.name, { status: 'down', error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const consumerOk = !['crashed', 'stopped', 'disconnected'].includes(this.state.consumerStatus);
    const ok = !this.state.draining && consumerOk && results.every(([, r]) => r.status === 'up');
    response.status(ok ? 200 : 503);
    return {
      status: ok ? 'ready' : 'not-ready',
      draining: this.state.draining,
      consumer: this.state.consumerStatus,
      dependencies: Object.fromEntries(results),
    };
  }
}
