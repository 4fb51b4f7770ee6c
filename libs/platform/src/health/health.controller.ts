import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../http/public.decorator';
import { HealthRepository } from './health.repository';

class HealthChecksDto {
  @ApiProperty({ enum: ['up', 'down'] }) database!: 'up' | 'down';
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthRepository) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and database readiness' })
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'The database does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const database = await this.databaseUp();
    if (!database) response.status(503);
    return { status: database ? 'ok' : 'error', checks: { database: database ? 'up' : 'down' } };
  }

  private async databaseUp(): Promise<boolean> {
    if (!this.health.initialized) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)));
    try {
      return await Promise.race([this.health.ping().then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
