import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiFileResponse, ApiPage, Page, sendFile, XLSX_TYPE } from '../../platform/src';
import {
  FlagDecisionDto,
  FlagDto,
  FlagExplanationDto,
  FlagIdParam,
  FlagQueryDto,
  FlagSettingViewDto,
  FlagSummaryDto,
  ProgramParam,
  PutFlagSettingsDto,
  SplitDto,
  SplitQueryDto,
  TrainerSplitDto,
  TrainerSplitQueryDto,
} from './flag.dto';
import { FlagExport } from './flag-export';
import { FlagFiguresService } from './flag-figures.service';
import { FlagService } from './flag.service';

@ApiTags('flags')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer', 'trainer')
@Controller(`${API_PREFIX}/flags`)
export class FlagController {
  constructor(
    private readonly flags: FlagService,
    private readonly figures: FlagFiguresService,
    private readonly exports: FlagExport,
  ) {}

  @Get()
  @ApiPage(FlagSummaryDto)
  @ApiOperation({
    summary:
      'Hàng đợi cảnh báo dữ liệu trong phạm vi (ban chỉ đạo); giảng viên thấy cảnh báo về các lớp của mình',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FlagQueryDto,
  ): Promise<Page<FlagSummaryDto>> {
    return this.flags.list(principal, query);
  }

  @Get('figures')
  @Roles('admin', 'steering', 'viewer')
  @ApiOkResponse({ type: SplitDto })
  @ApiOperation({
    summary:
      'Số liệu KPI theo mọi bản ghi, đã xác minh, đang bị cảnh báo và đã loại — của đơn vị và các đơn vị trực thuộc',
  })
  split(@CurrentPrincipal() principal: Principal, @Query() query: SplitQueryDto): Promise<SplitDto> {
    return this.figures.units(principal, query);
  }

  @Get('figures/xlsx')
  @Roles('admin', 'steering', 'viewer')
  @ApiFileResponse(
    'Xuất Excel: số liệu theo mọi bản ghi / đã xác minh / bị cảnh báo / đã loại, và giảng viên',
    XLSX_TYPE,
  )
  async splitXlsx(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SplitQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { body, fileName } = await this.exports.workbook(principal, query);
    sendFile(res, body, fileName, XLSX_TYPE);
  }

  @Get('trainers')
  @Roles('admin', 'steering', 'viewer')
  @ApiOkResponse({ type: [TrainerSplitDto] })
  @ApiOperation({
    summary: 'Bảng xếp hạng giảng viên theo số người đã xác minh (hoặc mọi bản ghi), với tỷ lệ bị cảnh báo',
  })
  trainers(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TrainerSplitQueryDto,
  ): Promise<TrainerSplitDto[]> {
    return this.figures.trainers(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: FlagDto })
  @ApiOperation({
    summary: 'Một cảnh báo: bằng chứng, những người liên quan, giải trình và lịch sử quyết định',
  })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: FlagIdParam): Promise<FlagDto> {
    return this.flags.get(principal, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: FlagDto })
  @ApiOperation({
    summary:
      'Xác nhận hợp lệ, loại các bản ghi khỏi số liệu đã xác minh, hoặc mở lại — kèm lý do, được ghi nhật ký',
  })
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: FlagIdParam,
    @Body() dto: FlagDecisionDto,
  ): Promise<FlagDto> {
    return this.flags.decide(principal, id, dto);
  }

  @Post(':id/explanation')
  @HttpCode(200)
  @Roles('admin', 'steering', 'trainer')
  @ApiOkResponse({ type: FlagDto })
  @ApiOperation({ summary: 'Giảng viên của lớp giải trình về cảnh báo' })
  explain(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: FlagIdParam,
    @Body() dto: FlagExplanationDto,
  ): Promise<FlagDto> {
    return this.flags.explain(principal, id, dto);
  }
}

@ApiTags('flags')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer')
@Controller(`${API_PREFIX}/programs/:id/flag-settings`)
export class FlagSettingsController {
  constructor(private readonly flags: FlagService) {}

  @Get()
  @ApiOkResponse({ type: [FlagSettingViewDto] })
  @ApiOperation({ summary: 'Ngưỡng và mức độ của từng dấu hiệu cảnh báo trong chương trình' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramParam,
  ): Promise<FlagSettingViewDto[]> {
    return this.flags.settings(principal, id);
  }

  @Put()
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: [FlagSettingViewDto] })
  @ApiOperation({
    summary: 'Đặt ngưỡng, mức độ, bật/tắt các dấu hiệu cảnh báo (áp dụng cho bản ghi đến sau)',
  })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramParam,
    @Body() dto: PutFlagSettingsDto,
  ): Promise<FlagSettingViewDto[]> {
    return this.flags.putSettings(principal, id, dto);
  }
}
