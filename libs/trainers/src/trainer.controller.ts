import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CreateTrainerDto,
  DownstreamQueryDto,
  DownstreamTrainerDto,
  LeaderboardEntryDto,
  LeaderboardQueryDto,
  ListTrainersQueryDto,
  ProgramParam,
  ReachDto,
  StandingDto,
  TrainerDto,
  PeerDto,
  PeersQueryDto,
  TrainerParam,
  UpdateTrainerDto,
} from './trainer.dto';
import { PeersService } from './peers.service';
import { TrainerService } from './trainer.service';

@ApiTags('trainers')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer', 'trainer')
@Controller(`${API_PREFIX}/programs/:id`)
export class TrainerController {
  constructor(
    private readonly trainers: TrainerService,
    private readonly peersService: PeersService,
  ) {}

  @Get('trainers')
  @ApiPage(TrainerDto)
  @ApiOperation({ summary: 'Giảng viên của chương trình trong phạm vi' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramParam,
    @Query() query: ListTrainersQueryDto,
  ): Promise<Page<TrainerDto>> {
    return this.trainers.list(principal, id, query);
  }

  @Post('trainers')
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: TrainerDto })
  @ApiOperation({ summary: 'Công nhận một người là giảng viên (với người đã đào tạo họ)' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramParam,
    @Body() dto: CreateTrainerDto,
  ): Promise<TrainerDto> {
    return this.trainers.create(principal, id, dto);
  }

  @Get('trainers/:trainerId')
  @ApiOkResponse({ type: TrainerDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
  ): Promise<TrainerDto> {
    return this.trainers.get(principal, id, trainerId);
  }

  @Patch('trainers/:trainerId')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: TrainerDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
    @Body() dto: UpdateTrainerDto,
  ): Promise<TrainerDto> {
    return this.trainers.update(principal, id, trainerId, dto);
  }

  @Get('trainers/:trainerId/lineage')
  @ApiOkResponse({ type: [TrainerDto] })
  @ApiOperation({ summary: 'Dòng đào tạo phía trên: từ gốc đến người đã đào tạo giảng viên này' })
  lineage(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
  ): Promise<TrainerDto[]> {
    return this.trainers.lineage(principal, id, trainerId);
  }

  @Get('trainers/:trainerId/trainees')
  @ApiPage(TrainerDto)
  @ApiOperation({ summary: 'Giảng viên do người này trực tiếp đào tạo' })
  trainees(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
    @Query() query: DownstreamQueryDto,
  ): Promise<Page<TrainerDto>> {
    return this.trainers.trainees(principal, id, trainerId, query);
  }

  @Get('trainers/:trainerId/downstream')
  @ApiPage(DownstreamTrainerDto)
  @ApiOperation({ summary: 'Toàn bộ cây lan tỏa bên dưới, theo từng thế hệ' })
  downstream(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
    @Query() query: DownstreamQueryDto,
  ): Promise<Page<DownstreamTrainerDto>> {
    return this.trainers.downstream(principal, id, trainerId, query);
  }

  @Get('trainers/:trainerId/reach')
  @ApiOkResponse({ type: ReachDto })
  @ApiOperation({ summary: 'Số người tiếp cận trực tiếp và theo cả cây, tiến độ chỉ tiêu, nhịp độ' })
  reach(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
  ): Promise<ReachDto> {
    return this.trainers.reachOf(principal, id, trainerId);
  }

  @Get('trainers/:trainerId/standing')
  @ApiOkResponse({ type: StandingDto })
  @ApiOperation({
    summary: 'Thứ hạng của giảng viên trong xã và trong tỉnh theo số người tiếp cận trực tiếp',
  })
  standing(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
  ): Promise<StandingDto> {
    return this.trainers.standing(principal, id, trainerId);
  }

  @Get('trainers/:trainerId/leaderboard')
  @ApiPage(PeerDto)
  @ApiOperation({
    summary: 'Bảng xếp hạng đầy đủ của xã hoặc tỉnh của giảng viên (tên, đơn vị, số người tiếp cận)',
  })
  peers(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, trainerId }: TrainerParam,
    @Query() query: PeersQueryDto,
  ): Promise<Page<PeerDto>> {
    return this.peersService.peers(principal, id, trainerId, query);
  }

  @Get('leaderboard')
  @ApiPage(LeaderboardEntryDto)
  @ApiOperation({
    summary: 'Bảng xếp hạng giảng viên trong một đơn vị (theo số người tiếp cận, % chỉ tiêu, nhịp độ)',
  })
  leaderboard(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ProgramParam,
    @Query() query: LeaderboardQueryDto,
  ): Promise<Page<LeaderboardEntryDto>> {
    return this.trainers.leaderboard(principal, id, query);
  }
}
