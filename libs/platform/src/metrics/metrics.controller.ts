import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { CommonErrors, DomainError } from '../errors/domain-error';
import { Public } from '../http/public.decorator';
import { Metrics } from './metrics';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus scrapes `/metrics` with the token of METRICS_TOKEN (`Authorization: Bearer …`). Figures such as
 * queue depths say how busy a province is, so the page is not public: without the token configured it does
 * not exist, and without the right token it answers 401. It is an operator's endpoint, not part of the API.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (!token) throw CommonErrors.notFound('trang này');
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!given || !sameSecret(given, token)) {
      throw new DomainError(
        'METRICS_TOKEN_INVALID',
        401,
        'Cần mã truy cập số liệu vận hành hợp lệ.',
        {},
        [],
        { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      );
    }
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.text();
  }
}
