import { Body, Controller, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { API_PREFIX } from '../../platform/src';
import { PartnerApi } from './partner-api.decorator';
import { PARTNER_EXAMPLES as EXAMPLES } from './partner-api.examples';
import { CurrentPartner, PartnerCaller } from './partner-caller';
import {
  XAPI_VERBS,
  XAPI_VERSION,
  XapiAboutDto,
  XapiActivitiesDto,
  XapiActivityListDto,
  XapiStatementDto,
} from './xapi.dto';
import { XapiService } from './xapi.service';

export const PARTNER_BASIC_SCHEME = 'partner-basic';

/**
 * The xAPI endpoint an LMS is pointed at as its Learning Record Store: `<PUBLIC_URL>/api/v1/partner/xapi`,
 * with the partner's key as a bearer token or as the Basic password (what LMSes offer).
 */
@PartnerApi()
@ApiSecurity(PARTNER_BASIC_SCHEME)
@ApiExtraModels(XapiStatementDto)
@Controller(`${API_PREFIX}/partner/xapi`)
export class XapiController {
  constructor(private readonly xapi: XapiService) {}

  @Get('about')
  @ApiOkResponse({ type: XapiAboutDto })
  @ApiOperation({ summary: 'xAPI: phiên bản hỗ trợ (như /about của một LRS)' })
  about(@Res({ passthrough: true }) res: Response): XapiAboutDto {
    res.setHeader('X-Experience-API-Version', XAPI_VERSION);
    return {
      version: [XAPI_VERSION],
      extensions: { 'https://lantoa.vn/xapi/verbs': Object.values(XAPI_VERBS) },
    };
  }

  @Post('statements')
  @HttpCode(200)
  @ApiHeader({
    name: 'X-Experience-API-Version',
    required: true,
    schema: { type: 'string', example: XAPI_VERSION },
    description: 'Phiên bản xAPI (1.0.3)',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(XapiStatementDto) },
        { type: 'array', items: { $ref: getSchemaPath(XapiStatementDto) }, minItems: 1, maxItems: 500 },
      ],
    },
    examples: {
      example: { summary: 'Một người học hoàn thành cấp độ 1 trên LMS', value: EXAMPLES.statements.request },
    },
  })
  @ApiOkResponse({
    schema: { type: 'array', items: { type: 'string', format: 'uuid' } },
    description: 'Mã các câu lệnh đã nhận, theo thứ tự',
    examples: { example: { summary: 'Mã câu lệnh', value: EXAMPLES.statements.response } },
  })
  @ApiOperation({
    summary:
      'xAPI 1.0.3: nhận câu lệnh completed / passed của hoạt động đã ánh xạ tới cấp độ (voided để hủy); cả lô được nhận hoặc bị từ chối kèm lý do; gửi lại cùng mã câu lệnh không ghi thêm',
  })
  async statements(
    @CurrentPartner() partner: PartnerCaller,
    @Body() body: unknown,
    @Headers('x-experience-api-version') version: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string[]> {
    res.setHeader('X-Experience-API-Version', XAPI_VERSION);
    this.xapi.checkVersion(version);
    return this.xapi.statements(partner, body);
  }

  @Get('activities')
  @ApiOkResponse({ type: XapiActivityListDto })
  @ApiOperation({ summary: 'Ánh xạ hoạt động xAPI của đối tác tới cấp độ (và bài học) của chương trình' })
  activities(@CurrentPartner() partner: PartnerCaller): Promise<XapiActivityListDto> {
    return this.xapi.activities(partner);
  }

  @Put('activities')
  @ApiBody({
    type: XapiActivitiesDto,
    examples: { example: { summary: 'Cấp độ 1 và một bài của nó', value: EXAMPLES.activities.request } },
  })
  @ApiOkResponse({
    type: XapiActivityListDto,
    examples: { example: { summary: 'Ánh xạ đã lưu', value: EXAMPLES.activities.response } },
  })
  @ApiOperation({ summary: 'Thay toàn bộ ánh xạ hoạt động xAPI (cả danh sách hoặc không gì cả)' })
  setActivities(
    @CurrentPartner() partner: PartnerCaller,
    @Body() dto: XapiActivitiesDto,
  ): Promise<XapiActivityListDto> {
    return this.xapi.setActivities(partner, dto.activities);
  }
}
