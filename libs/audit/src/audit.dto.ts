import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../platform/src';

const ENTITY_TYPE = /^[a-z_]{1,40}$/;
const ACTION = /^[a-z_.]{1,60}$/;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'user', pattern: ENTITY_TYPE.source })
  @IsOptional()
  @Matches(ENTITY_TYPE, { message: 'phải là tên loại đối tượng (chữ thường, dấu gạch dưới)' })
  entityType?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ example: 'auth.login', pattern: ACTION.source })
  @IsOptional()
  @Matches(ACTION, { message: 'phải là tên thao tác (ví dụ auth.login)' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Từ thời điểm (ISO 8601), tính cả' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Đến thời điểm (ISO 8601), không tính' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) actorLogin!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Tên tác nhân không phải người dùng (đối tác gọi bằng khóa API)',
  })
  actorName!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty({ nullable: true, type: String }) entityId!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Đối tượng trước thao tác (JSON, tùy loại đối tượng)',
  })
  before!: unknown;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Đối tượng sau thao tác, hoặc dữ liệu của thao tác (JSON, tùy loại)',
  })
  after!: unknown;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
}
