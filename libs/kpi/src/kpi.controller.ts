import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import {
  API_PREFIX,
  ApiFileResponse,
  ApiPage,
  Page,
  PDF_TYPE,
  ReadReplicas,
  sendFile,
} from '../../platform/src';
import {
  CommuneLeaderboardQueryDto,
  DrilldownPageDto,
  DrilldownQueryDto,
  KpiDto,
  KpiQueryDto,
  LeaderboardRowDto,
} from './kpi.dto';
import { KpiDrilldownService } from './kpi-drilldown.service';
import { KpiPdf } from './kpi-pdf';
import { KpiService } from './kpi.service';
import { PlanDto, PlanQueryDto } from './plan.dto';
import { PlanService } from './plan.service';
import {
  ProgramIdParam,
  PutTargetDto,
  PutTargetsDto,
  SplitShareDto,
  SplitTargetDto,
  TargetDto,
  TargetGapDto,
  TargetIdParam,
  TargetQueryDto,
} from './target.dto';
import { TargetSplitService } from './target-split.service';
import { TargetService } from './target.service';

@ApiTags('kpi')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer')
@Controller(`${API_PREFIX}/programs/:id`)
export class KpiController {
  constructor(
    private readonly kpi: KpiService,
    private readonly drilldowns: KpiDrilldownService,
    private readonly targets: TargetService,
    private readonly splits: TargetSplitService,
    private readonly pdf: KpiPdf,
    private readonly plans: PlanService,
    private readonly reads: ReadReplicas,
  ) {}

  @Get('targets')
  @ApiOkResponse({ type: [TargetDto] })
  @ApiOperation({ summary: 'Chỉ tiêu của một đơn vị và các đơn vị trực thuộc' })
  listTargets(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: TargetQueryDto,
  ): Promise<TargetDto[]> {
    return this.targets.list(principal, id, query);
  }

  @Put('targets')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: TargetDto })
  @ApiOperation({ summary: 'Đặt (hoặc sửa) chỉ tiêu: số tuyệt đối hoặc tỷ lệ % của một số liệu dân số' })
  putTarget(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: PutTargetDto,
  ): Promise<TargetDto> {
    return this.targets.put(principal, id, dto);
  }

  @Post('targets/batch')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: [TargetDto] })
  @ApiOperation({
    summary:
      'Nhập cả một kế hoạch (nhiều đơn vị, kỳ và chỉ tiêu): kiểm tra mọi dòng trước, rồi ghi tất cả hoặc không ghi gì',
  })
  putTargets(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Body() dto: PutTargetsDto,
  ): Promise<TargetDto[]> {
    return this.targets.putMany(principal, id, dto);
  }

  @Get('targets/consistency')
  @ApiOkResponse({ type: [TargetGapDto] })
  @ApiOperation({ summary: 'Nơi chỉ tiêu giao cho các đơn vị con không khớp chỉ tiêu của đơn vị cha' })
  consistency(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: TargetQueryDto,
  ): Promise<TargetGapDto[]> {
    return this.splits.consistency(principal, id, query);
  }

  @Post('targets/:targetId/split')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: [TargetDto] })
  @ApiOperation({ summary: 'Giao chỉ tiêu cho các đơn vị trực thuộc: chia đều, theo dân số hoặc tự nhập' })
  split(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, targetId }: TargetIdParam,
    @Body() dto: SplitTargetDto,
  ): Promise<TargetDto[]> {
    return this.splits.split(principal, id, targetId, dto);
  }

  @Post('targets/:targetId/split/preview')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: [SplitShareDto] })
  @ApiOperation({ summary: 'Xem trước phần chỉ tiêu mỗi đơn vị trực thuộc sẽ nhận (không ghi gì)' })
  previewSplit(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, targetId }: TargetIdParam,
    @Body() dto: SplitTargetDto,
  ): Promise<SplitShareDto[]> {
    return this.splits.previewSplit(principal, id, targetId, dto);
  }

  @Delete('targets/:targetId')
  @HttpCode(204)
  @Roles('admin', 'steering')
  removeTarget(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, targetId }: TargetIdParam,
  ): Promise<void> {
    return this.targets.remove(principal, id, targetId);
  }

  @Get('kpi')
  @ApiOkResponse({ type: KpiDto })
  @ApiOperation({
    summary:
      'Kế hoạch và thực hiện của một đơn vị trong kỳ: từng chỉ tiêu, xu hướng theo tháng, đơn vị con, đối tượng',
  })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: KpiQueryDto,
  ): Promise<KpiDto> {
    return this.reads.run(() => this.kpi.kpi(principal, id, query));
  }

  @Get('plan')
  @ApiOkResponse({ type: PlanDto })
  @ApiOperation({
    summary:
      'Kế hoạch của một đơn vị: mọi chỉ tiêu đã giao (theo năm, lũy kế, giai đoạn …) với số thực hiện, ' +
      '% kế hoạch và tốc độ cần đạt mỗi tuần',
  })
  plan(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: PlanQueryDto,
  ): Promise<PlanDto> {
    return this.reads.run(() => this.plans.plan(principal, id, query));
  }

  @Get('kpi/drilldown')
  @ApiOkResponse({ type: DrilldownPageDto })
  @ApiOperation({ summary: 'Các bản ghi đứng sau một số liệu (tổng số bằng đúng số liệu đó)' })
  drilldown(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: DrilldownQueryDto,
  ): Promise<DrilldownPageDto> {
    return this.reads.run(() => this.drilldowns.drilldown(principal, id, query));
  }

  @Get('kpi/leaderboard')
  @ApiPage(LeaderboardRowDto)
  @ApiOperation({ summary: 'Bảng xếp hạng các xã, phường theo một chỉ tiêu (thi đua)' })
  leaderboard(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: CommuneLeaderboardQueryDto,
  ): Promise<Page<LeaderboardRowDto>> {
    return this.reads.run(() => this.kpi.leaderboard(principal, id, query));
  }

  @Get('kpi/pdf')
  @ApiFileResponse('Báo cáo tóm tắt (PDF): bảng số liệu và biểu đồ kế hoạch – thực hiện', PDF_TYPE)
  async summaryPdf(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramIdParam,
    @Query() query: KpiQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { body, fileName } = await this.reads.run(() => this.pdf.render(principal, id, query));
    sendFile(res, body, fileName, PDF_TYPE);
  }
}
