import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiPage, Page } from '../../platform/src';
import { PartnerIdParam } from './partner.dto';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDetailDto,
  DeliveryDto,
  DeliveryParam,
  ListDeliveriesQueryDto,
  RotateSecretDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
  WebhookParam,
} from './webhook.dto';
import { WebhookService } from './webhook.service';

/** Webhook endpoints of a partner, their delivery log and redelivery: as the partner's keys. */
@ApiTags('partners')
@ApiBearerAuth()
@Roles('admin', 'steering')
@Controller(`${API_PREFIX}/partners/:id/webhooks`)
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @ApiOkResponse({ type: WebhookListDto })
  @ApiOperation({ summary: 'Các địa chỉ nhận sự kiện (webhook) của đối tác' })
  list(@CurrentPrincipal() principal: Principal, @Param() { id }: PartnerIdParam): Promise<WebhookListDto> {
    return this.webhooks.list(principal, id);
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiOperation({
    summary: 'Đăng ký địa chỉ nhận sự kiện (ký theo Standard Webhooks); khóa ký chỉ hiện một lần',
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: PartnerIdParam,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.create(principal, id, dto);
  }

  @Get(':webhookId')
  @ApiOkResponse({ type: WebhookDto })
  @ApiOperation({ summary: 'Một địa chỉ nhận sự kiện' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId }: WebhookParam,
  ): Promise<WebhookDto> {
    return this.webhooks.get(principal, id, webhookId);
  }

  @Patch(':webhookId')
  @ApiOkResponse({ type: WebhookDto })
  @ApiOperation({ summary: 'Sửa, tạm dừng hoặc bật lại địa chỉ nhận sự kiện' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId }: WebhookParam,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.webhooks.update(principal, id, webhookId, dto);
  }

  @Post(':webhookId/rotate-secret')
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiOperation({ summary: 'Đổi khóa ký; khóa cũ còn ký song song trong thời gian chuyển tiếp' })
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId }: WebhookParam,
    @Body() dto: RotateSecretDto,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.rotateSecret(principal, id, webhookId, dto);
  }

  @Post(':webhookId/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto })
  @ApiOperation({ summary: 'Gửi thử một sự kiện webhook.test tới địa chỉ này (qua hàng đợi tác vụ)' })
  test(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId }: WebhookParam,
  ): Promise<DeliveryDto> {
    return this.webhooks.test(principal, id, webhookId);
  }

  @Get(':webhookId/deliveries')
  @ApiPage(DeliveryDto)
  @ApiOperation({ summary: 'Nhật ký gửi sự kiện tới địa chỉ này, mới nhất trước' })
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId }: WebhookParam,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryDto>> {
    return this.webhooks.deliveries(principal, id, webhookId, query);
  }

  @Get(':webhookId/deliveries/:deliveryId')
  @ApiOkResponse({ type: DeliveryDetailDto })
  @ApiOperation({ summary: 'Một lần gửi: nội dung sự kiện và từng lần thử' })
  delivery(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId, deliveryId }: DeliveryParam,
  ): Promise<DeliveryDetailDto> {
    return this.webhooks.delivery(principal, id, webhookId, deliveryId);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto })
  @ApiOperation({ summary: 'Gửi lại sự kiện (qua hàng đợi tác vụ, cùng webhook-id)' })
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, webhookId, deliveryId }: DeliveryParam,
  ): Promise<DeliveryDto> {
    return this.webhooks.redeliver(principal, id, webhookId, deliveryId);
  }
}
