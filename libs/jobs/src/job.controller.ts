import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '../../access/src';
import {
  API_PREFIX,
  ApiFileResponse,
  ApiPage,
  attachment,
  Page,
  PDF_TYPE,
  XLSX_TYPE,
} from '../../platform/src';
import { JobDto, JobListItemDto, ListJobsQueryDto } from './job.dto';
import { JobService, toJobDto } from './job.service';

class JobIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/jobs`)
export class JobController {
  constructor(private readonly jobs: JobService) {}

  @Get()
  @ApiPage(JobListItemDto)
  @ApiOperation({
    summary:
      'Các tác vụ nền của người gọi, mới nhất trước (quản trị viên: mọi tác vụ); lọc theo trạng thái, loại',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListJobsQueryDto,
  ): Promise<Page<JobListItemDto>> {
    return this.jobs.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobDto })
  @ApiOperation({ summary: 'Tiến độ của một tác vụ nền (xuất tệp, in chứng nhận hàng loạt)' })
  async get(@CurrentPrincipal() principal: Principal, @Param() { id }: JobIdParam): Promise<JobDto> {
    return toJobDto(await this.jobs.get(principal, id));
  }

  @Get(':id/file')
  @ApiFileResponse('Tải tệp kết quả (cùng một tệp mỗi lần tải)', XLSX_TYPE, PDF_TYPE)
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
