import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { Optional } from './items';
import { PARTNER_KINDS, PartnerKind, PartnerStatus } from './partner.entities';

export const UNIT_CODE = /^\d{2,5}$/;
export const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';
export const MAX_KEY_DAYS = 730;
export const MAX_RATE_LIMIT = 100_000;
const STATUSES: PartnerStatus[] = ['active', 'disabled'];

export class PartnerIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class PartnerKeyParam extends PartnerIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  keyId!: string;
}

export class CreatePartnerDto {
  @ApiProperty({
    example: 'Trường Đại học Công nghệ Thông tin và Truyền thông',
    minLength: 2,
    maxLength: 200,
  })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: PARTNER_KINDS, example: 'school' })
  @IsIn(PARTNER_KINDS)
  kind!: PartnerKind;

  @ApiProperty({
    example: '19',
    pattern: UNIT_CODE.source,
    description: 'Đơn vị quản lý đối tác: khóa API của đối tác không vượt ra ngoài đơn vị này',
  })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unitCode!: string;

  @ApiPropertyOptional({ example: 'Trần Minh Quân', maxLength: 200 })
  @Optional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  contactName?: string;

  @ApiPropertyOptional({ example: 'ketnoi@ictu.edu.vn', maxLength: 200 })
  @Optional()
  @IsEmail({}, { message: 'phải là địa chỉ email hợp lệ' })
  @MaxLength(200)
  contactEmail?: string;

  @ApiPropertyOptional({ example: '0208 3846 254', maxLength: 30 })
  @Optional()
  @IsString()
  @MaxLength(30)
  contactPhone?: string;
}

export class UpdatePartnerDto extends PartialType(OmitType(CreatePartnerDto, ['unitCode'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({
    enum: STATUSES,
    description: 'disabled: mọi khóa API của đối tác bị từ chối ngay lập tức',
  })
  @Optional()
  @IsIn(STATUSES)
  status?: PartnerStatus;
}

export class ListPartnersQueryDto extends PageQueryDto {}

export class PartnerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PARTNER_KINDS }) kind!: PartnerKind;
  @ApiProperty({ example: 'Trường học' }) kindName!: string;
  @ApiProperty({ type: UnitRefDto, description: 'Đơn vị quản lý đối tác' }) unit!: UnitRefDto;
  @ApiProperty({ nullable: true, type: String }) contactName!: string | null;
  @ApiProperty({ nullable: true, type: String }) contactEmail!: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: PartnerStatus;
  @ApiProperty({ description: 'Số khóa API còn hiệu lực' }) activeKeys!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateKeyDto {
  @ApiProperty({ example: 'Máy chủ đồng bộ LMS', minLength: 1, maxLength: 100 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 20,
    description: 'Chương trình khóa được ghi dữ liệu',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  programIds!: string[];

  @ApiProperty({
    example: '19',
    pattern: UNIT_CODE.source,
    description: 'Phạm vi của khóa: đơn vị này và các đơn vị trực thuộc (trong đơn vị quản lý đối tác)',
  })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unitCode!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: `Hết hạn lúc (mặc định: sau 365 ngày; tối đa ${MAX_KEY_DAYS} ngày)`,
  })
  @Optional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_RATE_LIMIT,
    description: 'Số lượt gọi tối đa mỗi phút (mặc định theo cấu hình PARTNER_RATE_LIMIT)',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_LIMIT)
  rateLimit?: number;
}

export class RotateKeyDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 720,
    default: 24,
    description: 'Số giờ khóa cũ còn dùng được song song với khóa mới (0: dừng ngay)',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(720)
  overlapHours?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Hạn của khóa mới (mặc định: sau 365 ngày)' })
  @Optional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class RevokeKeyDto {
  @ApiProperty({ example: 'Lộ khóa trong nhật ký máy chủ của đối tác', minLength: 3, maxLength: 500 })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class KeyProgramDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'TN' }) code!: string;
  @ApiProperty() name!: string;
}

export const KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export class PartnerKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    example: 'ltk_4fQ9xZ2a',
    description: 'Phần đầu của khóa, để nhận ra khóa (không dùng được)',
  })
  prefix!: string;
  @ApiProperty({ enum: KEY_STATUSES }) status!: KeyStatus;
  @ApiProperty({ type: [KeyProgramDto] }) programs!: KeyProgramDto[];
  @ApiProperty({ type: UnitRefDto, description: 'Phạm vi: đơn vị này và các đơn vị trực thuộc' })
  unit!: UnitRefDto;
  @ApiProperty({ description: 'Số lượt gọi tối đa mỗi phút' }) rateLimit!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Khóa được thay bằng khóa này' })
  rotatedFromId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Lần dùng gần nhất' })
  lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class IssuedKeyDto extends PartnerKeyDto {
  @ApiProperty({
    example: 'ltk_4fQ9xZ2aVb7mK0pLq3sT8uW1yX5zA6cD9eF2gH4jK7m',
    description: 'Khóa API — chỉ hiện một lần này; hệ thống chỉ lưu bản băm',
  })
  secret!: string;
}

export class KeyListDto {
  @ApiProperty({ type: [PartnerKeyDto] }) items!: PartnerKeyDto[];
}
