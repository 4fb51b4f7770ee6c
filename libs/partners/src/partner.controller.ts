import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import {
  CreateKeyDto,
  CreatePartnerDto,
  IssuedKeyDto,
  KeyListDto,
  ListPartnersQueryDto,
  PartnerDto,
  PartnerIdParam,
  PartnerKeyDto,
  PartnerKeyParam,
  RevokeKeyDto,
  RotateKeyDto,
  UpdatePartnerDto,
} from './partner.dto';
import { PartnerService } from './partner.service';

/** Partner clients and their API keys: administrators and steering members of the partner's unit. */
@ApiTags('partners')
@ApiBearerAuth()
@Roles('admin', 'steering')
@Controller(`${API_PREFIX}/partners`)
export class PartnerController {
  constructor(private readonly partners: PartnerService) {}

  @Get()
  @ApiPage(PartnerDto)
  @ApiOperation({
    summary: 'Đối tác kết nối (trường học, doanh nghiệp, nền tảng học trực tuyến) trong phạm vi',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPartnersQueryDto,
  ): Promise<Page<PartnerDto>> {
    return this.partners.list(principal, query);
  }

  @Post()
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiOperation({ summary: 'Đăng ký đối tác kết nối' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePartnerDto): Promise<PartnerDto> {
    return this.partners.create(principal, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: PartnerDto })
  @ApiOperation({ summary: 'Một đối tác' })
  get(@CurrentPrincipal() principal: Principal, @Param() { id }: PartnerIdParam): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: PartnerDto })
  @ApiOperation({
    summary: 'Sửa thông tin đối tác; tạm dừng (status: disabled) từ chối mọi khóa ngay lập tức',
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PartnerIdParam,
    @Body() dto: UpdatePartnerDto,
  ): Promise<PartnerDto> {
    return this.partners.update(principal, id, dto);
  }

  @Get(':id/keys')
  @ApiOkResponse({ type: KeyListDto })
  @ApiOperation({ summary: 'Các khóa API của đối tác (không bao giờ hiện lại khóa)' })
  keys(@CurrentPrincipal() principal: Principal, @Param() { id }: PartnerIdParam): Promise<KeyListDto> {
    return this.partners.keys(principal, id);
  }

  @Post(':id/keys')
  @ApiCreatedResponse({ type: IssuedKeyDto })
  @ApiOperation({
    summary:
      'Cấp khóa API theo chương trình và đơn vị, có hạn dùng và giới hạn lượt gọi; khóa chỉ hiện một lần',
  })
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PartnerIdParam,
    @Body() dto: CreateKeyDto,
  ): Promise<IssuedKeyDto> {
    return this.partners.issueKey(principal, id, dto);
  }

  @Post(':id/keys/:keyId/rotate')
  @ApiCreatedResponse({ type: IssuedKeyDto })
  @ApiOperation({
    summary:
      'Thay khóa: cấp khóa mới cùng phạm vi; khóa cũ còn dùng được trong thời gian chuyển tiếp rồi hết hạn',
  })
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, keyId }: PartnerKeyParam,
    @Body() dto: RotateKeyDto,
  ): Promise<IssuedKeyDto> {
    return this.partners.rotateKey(principal, id, keyId, dto);
  }

  @Post(':id/keys/:keyId/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: PartnerKeyDto })
  @ApiOperation({ summary: 'Thu hồi khóa ngay lập tức' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, keyId }: PartnerKeyParam,
    @Body() dto: RevokeKeyDto,
  ): Promise<PartnerKeyDto> {
    return this.partners.revokeKey(principal, id, keyId, dto);
  }
}
