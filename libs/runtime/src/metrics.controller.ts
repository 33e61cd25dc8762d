import { Public } from '@lienthong/auth';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ServiceMetrics } from './metrics';

/** `GET /metrics`: the service's metrics in the Prometheus text format, for scraping; not part of the API. */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    response.setHeader('Content-Type', contentType);
    return body;
  }
}
