import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { Optional } from './items';
import { KeyProgramDto, PartnerIdParam, UNIT_CODE, UNIT_CODE_MESSAGE } from './partner.dto';
import { DeliveryStatus, WEBHOOK_EVENTS, WebhookEvent } from './webhook.entities';

const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class WebhookParam extends PartnerIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  webhookId!: string;
}

export class DeliveryParam extends WebhookParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  deliveryId!: string;
}

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://lms.ictu.edu.vn/hooks/lantoa',
    maxLength: 2000,
    description: 'Địa chỉ nhận sự kiện (https; http chỉ khi cấu hình cho phép)',
  })
  @IsUrl(URL_OPTIONS, { message: 'phải là địa chỉ http(s) đầy đủ' })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ example: 'Máy chủ LMS của trường', maxLength: 200 })
  @Optional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, minItems: 1, example: ['completion.recorded'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events!: WebhookEvent[];

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 20, description: 'Chương trình' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  programIds!: string[];

  @ApiProperty({
    example: '19',
    pattern: UNIT_CODE.source,
    description: 'Sự kiện của đơn vị này và các đơn vị trực thuộc (trong đơn vị quản lý đối tác)',
  })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unitCode!: string;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @Optional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 168,
    default: 24,
    description: 'Số giờ khóa ký cũ vẫn ký song song với khóa mới',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events!: WebhookEvent[];
  @ApiProperty({ type: [KeyProgramDto] }) programs!: KeyProgramDto[];
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: 'active' | 'disabled';
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Khóa ký cũ còn ký song song đến lúc này (sau khi đổi khóa ký)',
  })
  previousSecretUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Khóa ký (Standard Webhooks) — chỉ hiện một lần này',
  })
  secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Optional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ', description: 'webhook-id của sự kiện' })
  messageId!: string;
  @ApiProperty({ example: 'completion.recorded' }) type!: string;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: 'pending: chờ gửi hoặc chờ gửi lại; succeeded: đã nhận (2xx); failed: hết lượt thử',
  })
  status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mã HTTP lần thử gần nhất' }) lastStatus!:
    number | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt!: string | null;
}

export class AttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ['auto', 'manual'], description: 'manual: gửi lại theo yêu cầu' })
  trigger!: 'auto' | 'manual';
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Mã HTTP (null: không có phản hồi)' })
  status!: number | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Phần đầu phản hồi của địa chỉ nhận' })
  response!: string | null;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Nội dung sự kiện đã gửi ({ type, timestamp, data })',
  })
  payload!: Record<string, unknown>;
  @ApiProperty({ type: [AttemptDto] }) attemptLog!: AttemptDto[];
}
