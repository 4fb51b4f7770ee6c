import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CandidatesQueryDto,
  ContestCandidateDto,
  ContestDto,
  ContestEntryDto,
  ContestEntryParam,
  ContestIdParam,
  ContestSummaryDto,
  CreateContestDto,
  CreateEntryDto,
  ListContestsQueryDto,
  PutScoresDto,
} from './contest.dto';
import { ContestService } from './contest.service';

@ApiTags('contests')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer')
@Controller(`${API_PREFIX}/contests`)
export class ContestController {
  constructor(private readonly contests: ContestService) {}

  @Post()
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: ContestDto })
  @ApiOperation({
    summary: 'Tạo hội thi của chương trình tại một đơn vị, cho một kỳ, với các tiêu chí chấm điểm',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateContestDto): Promise<ContestDto> {
    return this.contests.create(principal, dto);
  }

  @Get()
  @ApiPage(ContestSummaryDto)
  @ApiOperation({ summary: 'Các hội thi của chương trình trong phạm vi' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListContestsQueryDto,
  ): Promise<Page<ContestSummaryDto>> {
    return this.contests.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ContestDto })
  @ApiOperation({ summary: 'Hội thi: tiêu chí, bài dự thi, điểm và kết quả' })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: ContestIdParam): Promise<ContestDto> {
    return this.contests.get(principal, id);
  }

  @Get(':id/candidates')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: [ContestCandidateDto] })
  @ApiOperation({ summary: 'Người, giảng viên, lớp học hoặc cơ quan trong địa bàn có thể dự thi' })
  candidates(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ContestIdParam,
    @Query() query: CandidatesQueryDto,
  ): Promise<ContestCandidateDto[]> {
    return this.contests.candidates(principal, id, query);
  }

  @Post(':id/entries')
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: ContestEntryDto })
  @ApiOperation({ summary: 'Thêm bài dự thi của một người, giảng viên, lớp học hoặc cơ quan trong địa bàn' })
  addEntry(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ContestIdParam,
    @Body() dto: CreateEntryDto,
  ): Promise<ContestEntryDto> {
    return this.contests.addEntry(principal, id, dto);
  }

  @Put(':id/entries/:entryId/scores')
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ContestEntryDto })
  @ApiOperation({ summary: 'Giám khảo chấm điểm một bài dự thi theo các tiêu chí' })
  score(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, entryId }: ContestEntryParam,
    @Body() dto: PutScoresDto,
  ): Promise<ContestEntryDto> {
    return this.contests.score(principal, id, entryId, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: ContestDto })
  @ApiOperation({ summary: 'Công bố kết quả: chốt tổng điểm, thứ hạng và các bài đạt giải' })
  publish(@CurrentPrincipal() principal: Principal, @Param() { id }: ContestIdParam): Promise<ContestDto> {
    return this.contests.publish(principal, id);
  }
}
