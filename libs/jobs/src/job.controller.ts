import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '../../access/src';
import { API_PREFIX, attachment } from '../../platform/src';
import { JobDto, JobService, toJobDto } from './job.service';

class JobIdParam {
  @IsUUID()
  id!: string;
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/jobs`)
export class JobController {
  constructor(private readonly jobs: JobService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Tiến độ của một tác vụ nền (xuất tệp, in chứng nhận hàng loạt)' })
  async get(@CurrentPrincipal() principal: Principal, @Param() { id }: JobIdParam): Promise<JobDto> {
    return toJobDto(await this.jobs.get(principal, id));
  }

  @Get(':id/file')
  @ApiOperation({ summary: 'Tải tệp kết quả (cùng một tệp mỗi lần tải)' })
  async file(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: JobIdParam,
    @Res() res: Response,
  ): Promise<void> {
    await sendJobFile(res, await this.jobs.file(principal, id));
  }
}

/** Streams a finished job's file (the same file on every download). */
export async function sendJobFile(
  res: Response,
  job: { filePath: string; fileName: string; fileType: string | null },
): Promise<void> {
  const { size } = await stat(job.filePath);
  res.setHeader('Content-Type', job.fileType ?? 'application/octet-stream');
  res.setHeader('Content-Disposition', attachment(job.fileName));
  res.setHeader('Content-Length', String(size));
  createReadStream(job.filePath).pipe(res);
}
