import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiFileResponse, ApiPage, Page, PDF_TYPE, sendFile } from '../../platform/src';
import {
  ApproveReportDto,
  CreateReportDto,
  ExpectedReportDto,
  ListReportsQueryDto,
  MissingReportsQueryDto,
  OverdueReportsQueryDto,
  ReopenReportDto,
  ReportDto,
  ReportFiguresDto,
  ReportIdParam,
  ReturnReportDto,
} from './report.dto';
import { ConsolidatedReport } from './consolidated-report';
import { ReportDueService } from './report-due.service';
import { ReportPdf } from './report-pdf';
import { ReportService } from './report.service';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer', 'department_head')
@Controller(`${API_PREFIX}/reports`)
export class ReportController {
  constructor(
    private readonly reports: ReportService,
    private readonly documents: ReportPdf,
    private readonly consolidated: ConsolidatedReport,
    private readonly due: ReportDueService,
  ) {}

  @Post()
  @Roles('admin', 'steering', 'department_head')
  @ApiCreatedResponse({ type: ReportDto })
  @ApiOperation({ summary: 'Lập báo cáo tiến độ (bản nháp) của đơn vị hoặc cơ quan cho một kỳ' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateReportDto): Promise<ReportDto> {
    return this.reports.create(principal, dto);
  }

  @Get()
  @ApiPage(ReportDto)
  @ApiOperation({ summary: 'Báo cáo tiến độ trong phạm vi' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListReportsQueryDto,
  ): Promise<Page<ReportDto>> {
    return this.reports.list(principal, query);
  }

  @Get('missing')
  @Roles('admin', 'steering', 'viewer')
  @ApiOkResponse({ type: [ExpectedReportDto] })
  @ApiOperation({ summary: 'Đơn vị, cơ quan trực thuộc chưa nộp báo cáo của kỳ' })
  missing(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MissingReportsQueryDto,
  ): Promise<ExpectedReportDto[]> {
    return this.due.missing(principal, query);
  }

  @Get('overdue')
  @Roles('admin', 'steering', 'viewer')
  @ApiOkResponse({ type: [ExpectedReportDto] })
  @ApiOperation({ summary: 'Báo cáo quá hạn (quá 5 ngày sau khi hết kỳ mà chưa nộp)' })
  overdue(
    @CurrentPrincipal() principal: Principal,
    @Query() query: OverdueReportsQueryDto,
  ): Promise<ExpectedReportDto[]> {
    return this.due.overdue(principal, query);
  }

  @Get('consolidated/pdf')
  @Roles('admin', 'steering', 'viewer')
  @ApiFileResponse(
    'Báo cáo tổng hợp (PDF) các báo cáo đã duyệt của các đơn vị, cơ quan thuộc một đơn vị trong kỳ: kế hoạch, thực hiện, tỷ lệ, tổng theo số người khác nhau',
    PDF_TYPE,
  )
  async consolidatedPdf(
    @CurrentPrincipal() principal: Principal,
    @Query() query: MissingReportsQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { body, fileName } = await this.consolidated.render(principal, query);
    sendFile(res, body, fileName, PDF_TYPE);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReportDto })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: ReportIdParam): Promise<ReportDto> {
    return this.reports.get(principal, id);
  }

  @Get(':id/pdf')
  @ApiFileResponse(
    'Văn bản báo cáo (PDF) theo thể thức hành chính: quốc hiệu, đơn vị, số liệu kế hoạch – thực hiện, ý kiến các cấp, chữ ký',
    PDF_TYPE,
  )
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ReportIdParam,
    @Res() res: Response,
  ): Promise<void> {
    const { body, fileName } = await this.documents.render(await this.reports.get(principal, id));
    sendFile(res, body, fileName, PDF_TYPE);
  }

  @Patch(':id')
  @Roles('admin', 'steering', 'department_head')
  @ApiOkResponse({ type: ReportDto })
  @ApiOperation({ summary: 'Sửa báo cáo (bản nháp hoặc bị trả lại; báo cáo đã duyệt bị khóa)' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ReportIdParam,
    @Body() dto: ReportFiguresDto,
  ): Promise<ReportDto> {
    return this.reports.update(principal, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('admin', 'steering', 'department_head')
  @ApiOkResponse({ type: ReportDto })
  submit(@CurrentPrincipal() principal: Principal, @Param() { id }: ReportIdParam): Promise<ReportDto> {
    return this.reports.submit(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ReportDto })
  @ApiOperation({ summary: 'Duyệt (ban chỉ đạo cấp trên); báo cáo đã duyệt bị khóa' })
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ReportIdParam,
    @Body() dto: ApproveReportDto,
  ): Promise<ReportDto> {
    return this.reports.approve(principal, id, dto.comment);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ReportDto })
  @ApiOperation({ summary: 'Trả lại kèm nhận xét (ban chỉ đạo cấp trên)' })
  returnReport(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ReportIdParam,
    @Body() dto: ReturnReportDto,
  ): Promise<ReportDto> {
    return this.reports.return(principal, id, dto.comment);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ReportDto })
  @ApiOperation({ summary: 'Mở lại báo cáo đã duyệt để sửa (ghi nhật ký, kèm lý do)' })
  reopen(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ReportIdParam,
    @Body() dto: ReopenReportDto,
  ): Promise<ReportDto> {
    return this.reports.reopen(principal, id, dto.reason);
  }
}
