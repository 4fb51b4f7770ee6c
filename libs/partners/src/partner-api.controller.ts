import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CompletionsBatchDto,
  ExternalIdParam,
  LessonsBatchDto,
  ListRecordsQueryDto,
  LookupPersonDto,
  LookupResultDto,
  OutcomesBatchDto,
  PartnerPersonDto,
  PartnerRecordDto,
  PartnerSelfDto,
  PeopleResultsDto,
  RecordResultsDto,
  RegisterPeopleDto,
} from './inbound.dto';
import { PartnerApi } from './partner-api.decorator';
import { PARTNER_EXAMPLES as EXAMPLES } from './partner-api.examples';
import { CurrentPartner, PartnerCaller } from './partner-caller';
import { PartnerLearningService } from './partner-learning.service';
import { PartnerPeopleService } from './partner-people.service';
import { PartnerSelfService } from './partner-self.service';

const IDEMPOTENCY_KEY = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Khóa do đối tác tạo cho mỗi yêu cầu (ví dụ một UUID): gửi lại cùng khóa và cùng nội dung trong 24 giờ nhận lại đúng câu trả lời cũ, không ghi thêm gì (tiêu đề Idempotent-Replayed: true); cùng khóa với nội dung khác bị từ chối (422)',
  schema: { type: 'string', maxLength: 200, example: '9b2f0c4e-7a51-4c1e-b3d8-2f6a1e9c7d40' },
});

const example = (summary: string, value: unknown) => ({ example: { summary, value } });

/** A batch's answer: the documented example, and Idempotent-Replayed on a replay. */
function replayed<T>(res: Response, outcome: { body: T; replayed: boolean }): T {
  if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return outcome.body;
}

/**
 * The partner API: schools, enterprises and online platforms register their learners and push what they
 * learned online, with an API key scoped to programs and a unit subtree. Batches are answered item by item;
 * every call can be sent twice safely (item ids, Idempotency-Key).
 */
@PartnerApi()
@Controller(`${API_PREFIX}/partner`)
export class PartnerApiController {
  constructor(
    private readonly self: PartnerSelfService,
    private readonly people: PartnerPeopleService,
    private readonly learning: PartnerLearningService,
  ) {}

  @Get('me')
  @ApiOkResponse({ type: PartnerSelfDto })
  @ApiOperation({ summary: 'Khóa đang dùng: đối tác, hạn dùng, giới hạn lượt gọi, phạm vi và chương trình' })
  me(@CurrentPartner() partner: PartnerCaller): Promise<PartnerSelfDto> {
    return this.self.describe(partner);
  }

  @Post('people')
  @HttpCode(200)
  @IDEMPOTENCY_KEY
  @ApiBody({ type: RegisterPeopleDto, examples: example('Đăng ký ba người học', EXAMPLES.people.request) })
  @ApiOkResponse({
    type: PeopleResultsDto,
    examples: example('Hai người được đăng ký, một ngoài phạm vi', EXAMPLES.people.response),
  })
  @ApiOperation({
    summary:
      'Đăng ký (hoặc tra) người học theo mã của đối tác: trùng CCCD thì liên kết với người đã có; mỗi người một kết quả',
  })
  async register(
    @CurrentPartner() partner: PartnerCaller,
    @Body() dto: RegisterPeopleDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PeopleResultsDto> {
    return replayed(res, await this.people.register(partner, dto.people, idempotencyKey));
  }

  @Post('people/lookup')
  @HttpCode(200)
  @ApiBody({ type: LookupPersonDto, examples: example('Tra theo CCCD và năm sinh', EXAMPLES.lookup.request) })
  @ApiOkResponse({
    type: LookupResultDto,
    examples: example('Đã có trong phạm vi', EXAMPLES.lookup.response),
  })
  @ApiOperation({
    summary: 'Tra người học trong phạm vi của khóa theo CCCD hoặc số điện thoại và năm sinh (chỉ trả mã)',
  })
  lookup(@CurrentPartner() partner: PartnerCaller, @Body() dto: LookupPersonDto): Promise<LookupResultDto> {
    return this.people.lookup(partner, dto);
  }

  @Get('people/:externalId')
  @ApiOkResponse({
    type: PartnerPersonDto,
    examples: example('Người học đã đăng ký', EXAMPLES.person.response),
  })
  @ApiOperation({ summary: 'Người học đối tác đã đăng ký, theo mã của đối tác (không trả dữ liệu cá nhân)' })
  person(
    @CurrentPartner() partner: PartnerCaller,
    @Param() { externalId }: ExternalIdParam,
  ): Promise<PartnerPersonDto> {
    return this.people.get(partner, externalId);
  }

  @Post('lessons')
  @HttpCode(200)
  @IDEMPOTENCY_KEY
  @ApiBody({ type: LessonsBatchDto, examples: example('Hai bài học trực tuyến', EXAMPLES.lessons.request) })
  @ApiOkResponse({ type: RecordResultsDto, examples: example('Đã ghi', EXAMPLES.lessons.response) })
  @ApiOperation({
    summary: 'Ghi nhận bài học trực tuyến đã học xong (người học được tính là đã được tiếp cận)',
  })
  async lessons(
    @CurrentPartner() partner: PartnerCaller,
    @Body() dto: LessonsBatchDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecordResultsDto> {
    return replayed(res, await this.learning.record(partner, 'lesson', dto.lessons, idempotencyKey));
  }

  @Post('completions')
  @HttpCode(200)
  @IDEMPOTENCY_KEY
  @ApiBody({
    type: CompletionsBatchDto,
    examples: example('Một cấp độ hoàn thành, một người chưa đăng ký', EXAMPLES.completions.request),
  })
  @ApiOkResponse({
    type: RecordResultsDto,
    examples: example('Ghi một, từ chối một', EXAMPLES.completions.response),
  })
  @ApiOperation({
    summary:
      'Ghi nhận hoàn thành cấp độ qua học trực tuyến: tính vào KPI như hoàn thành tại lớp, mỗi người một lần (hình thức "trực tuyến / đối tác")',
  })
  async completions(
    @CurrentPartner() partner: PartnerCaller,
    @Body() dto: CompletionsBatchDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecordResultsDto> {
    return replayed(res, await this.learning.record(partner, 'completion', dto.completions, idempotencyKey));
  }

  @Post('outcomes')
  @HttpCode(200)
  @IDEMPOTENCY_KEY
  @ApiBody({ type: OutcomesBatchDto, examples: example('Kết quả sau khóa học', EXAMPLES.outcomes.request) })
  @ApiOkResponse({ type: RecordResultsDto, examples: example('Đã ghi', EXAMPLES.outcomes.response) })
  @ApiOperation({
    summary:
      'Báo cáo kết quả sau khóa học: người học ứng dụng được ít nhất một công cụ AI (kết quả mới nhất được tính)',
  })
  async outcomes(
    @CurrentPartner() partner: PartnerCaller,
    @Body() dto: OutcomesBatchDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecordResultsDto> {
    return replayed(res, await this.learning.record(partner, 'outcome', dto.outcomes, idempotencyKey));
  }

  @Get('records')
  @ApiPage(PartnerRecordDto)
  @ApiOperation({ summary: 'Các bản ghi học trực tuyến đối tác đã gửi (để đối soát), mới nhất trước' })
  records(
    @CurrentPartner() partner: PartnerCaller,
    @Query() query: ListRecordsQueryDto,
  ): Promise<Page<PartnerRecordDto>> {
    return this.learning.list(partner, query);
  }
}
