import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { JobDto, sendJobFile } from '../../jobs/src';
import { API_PREFIX, sendFile, XLSX_TYPE } from '../../platform/src';
import { CreateExportDto, ExportIdParam } from './export.dto';
import { ExportService } from './export.service';

@ApiTags('exports')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer')
@Controller(`${API_PREFIX}/exports`)
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Post()
  @HttpCode(200)
  @ApiProduces(XLSX_TYPE, 'application/json')
  @ApiOperation({
    summary:
      'Xuất báo cáo KPI (Excel): tệp nhỏ tải về ngay (200); tệp lớn chạy nền (202, theo dõi tại Location)',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateExportDto,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.exports.create(principal, dto);
    if ('file' in outcome) {
      sendFile(res, outcome.file.body, outcome.file.fileName, XLSX_TYPE);
      return;
    }
    res.status(202).location(`/${API_PREFIX}/exports/${outcome.job.id}`).json(outcome.job);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Tiến độ của một lần xuất chạy nền' })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: ExportIdParam): Promise<JobDto> {
    return this.exports.get(principal, id);
  }

  @Get(':id/file')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'Tải tệp Excel đã xuất' })
  async file(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ExportIdParam,
    @Res() res: Response,
  ): Promise<void> {
    await sendJobFile(res, await this.exports.file(principal, id));
  }
}
