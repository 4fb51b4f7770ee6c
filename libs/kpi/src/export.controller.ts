import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { JobDto, sendJobFile } from '../../jobs/src';
import { API_PREFIX, ApiFileResponse, PDF_TYPE, ReadReplicas, sendFile, XLSX_TYPE } from '../../platform/src';
import { CreateExportDto, ExportIdParam } from './export.dto';
import { ExportService } from './export.service';

@ApiTags('exports')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer')
@Controller(`${API_PREFIX}/exports`)
export class ExportController {
  constructor(
    private readonly exports: ExportService,
    private readonly reads: ReadReplicas,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiProduces(XLSX_TYPE, PDF_TYPE, 'application/json')
  @ApiOkResponse({ description: 'Tệp xuất (tệp nhỏ)', schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({ type: JobDto, description: 'Tác vụ nền; theo dõi tại Location' })
  @ApiOperation({
    summary:
      'Xuất báo cáo KPI (Excel hoặc PDF): tệp nhỏ tải về ngay (200); tệp lớn, hoặc khi delivery=job, chạy nền (202, theo dõi tại Location)',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateExportDto,
    @Res() res: Response,
  ): Promise<void> {
    // The figures are read from a replica (the job itself, if one is queued, is written to the primary).
    const outcome = await this.reads.run(() => this.exports.create(principal, dto));
    if ('file' in outcome) {
      sendFile(res, outcome.file.body, outcome.file.fileName, outcome.file.fileType);
      return;
    }
    res.status(202).location(`/${API_PREFIX}/exports/${outcome.job.id}`).json(outcome.job);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobDto })
  @ApiOperation({ summary: 'Tiến độ của một lần xuất chạy nền' })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: ExportIdParam): Promise<JobDto> {
    return this.exports.get(principal, id);
  }

  @Get(':id/file')
  @ApiFileResponse('Tải tệp đã xuất (Excel hoặc PDF)', XLSX_TYPE, PDF_TYPE)
  async file(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ExportIdParam,
    @Res() res: Response,
  ): Promise<void> {
    await sendJobFile(res, await this.exports.file(principal, id));
  }
}
