import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { NormalizeText } from '../../platform/src';
import { Optional } from './items';

export const XAPI_VERSION = '1.0.3';
export const XAPI_VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
} as const;
export const XAPI_BATCH_LIMIT = 500;
const PROGRAM_CODE = /^[A-Z][A-Z0-9]{0,9}$/;

/*
 * The shape of an xAPI 1.0.3 statement, as far as Lan Tỏa reads it — for the OpenAPI document only. Statements
 * are checked by XapiService against the specification's rules (an LMS sends many optional parts: context,
 * attachments, extensions, which are accepted and ignored), with the reason of each refusal.
 */
export class XapiAccountDto {
  @ApiProperty({ example: 'https://lms.ictu.edu.vn', description: 'Trang chủ hệ thống của đối tác' })
  homePage!: string;
  @ApiProperty({
    example: 'HV-2026-0118',
    description: 'Mã người học của đối tác (đã đăng ký qua /partner/people)',
  })
  name!: string;
}

export class XapiActorDto {
  @ApiPropertyOptional({ enum: ['Agent'] }) objectType?: string;
  @ApiPropertyOptional({ example: 'Hoàng Văn Đức' }) name?: string;
  @ApiProperty({ type: XapiAccountDto }) account!: XapiAccountDto;
}

export class XapiVerbDto {
  @ApiProperty({ enum: Object.values(XAPI_VERBS) }) id!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'en-US': 'completed' },
  })
  display?: Record<string, string>;
}

export class XapiObjectDto {
  @ApiPropertyOptional({ enum: ['Activity', 'StatementRef'] }) objectType?: string;
  @ApiProperty({
    example: 'https://lms.ictu.edu.vn/courses/ai-co-ban/cap-do-1',
    description: 'IRI của hoạt động (đã ánh xạ tới cấp độ), hoặc mã câu lệnh bị hủy (StatementRef)',
  })
  id!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) definition?: Record<string, unknown>;
}

export class XapiScoreDto {
  @ApiPropertyOptional({ minimum: -1, maximum: 1, example: 0.9 }) scaled?: number;
  @ApiPropertyOptional() raw?: number;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
}

export class XapiResultDto {
  @ApiPropertyOptional() success?: boolean;
  @ApiPropertyOptional() completion?: boolean;
  @ApiPropertyOptional({ type: XapiScoreDto }) score?: XapiScoreDto;
  @ApiPropertyOptional({ example: 'PT25M' }) duration?: string;
}

export class XapiStatementDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Mã câu lệnh: gửi lại cùng mã không ghi thêm (thiếu mã thì mã được tạo từ nội dung)',
  })
  id?: string;
  @ApiProperty({ type: XapiActorDto }) actor!: XapiActorDto;
  @ApiProperty({ type: XapiVerbDto }) verb!: XapiVerbDto;
  @ApiProperty({ type: XapiObjectDto }) object!: XapiObjectDto;
  @ApiPropertyOptional({ type: XapiResultDto }) result?: XapiResultDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) context?: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-05-08T19:30:00+07:00' }) timestamp?: string;
  @ApiPropertyOptional({ example: XAPI_VERSION }) version?: string;
}

export class XapiAboutDto {
  @ApiProperty({ type: [String], example: [XAPI_VERSION] }) version!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { 'https://lantoa.vn/xapi/verbs': Object.values(XAPI_VERBS) },
  })
  extensions!: Record<string, unknown>;
}

export class XapiActivityDto {
  @ApiProperty({ example: 'https://lms.ictu.edu.vn/courses/ai-co-ban/cap-do-1', maxLength: 500 })
  @IsString()
  @Matches(/^[a-z][a-z0-9+.-]*:\S+$/i, { message: 'phải là một IRI (ví dụ https://…)' })
  @MaxLength(500)
  activityId!: string;

  @ApiProperty({ example: 'TN', pattern: PROGRAM_CODE.source })
  @Matches(PROGRAM_CODE, { message: 'phải là mã chương trình (chữ in hoa và số, ví dụ TN)' })
  programCode!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 1 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiPropertyOptional({
    example: 'Bài 3: Viết câu lệnh cho trợ lý AI',
    maxLength: 200,
    description: 'Khi hoạt động là một bài học của cấp độ (hoàn thành bài, không phải cả cấp độ)',
  })
  @Optional()
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  lesson?: string;
}

export class XapiActivitiesDto {
  @ApiProperty({
    type: [XapiActivityDto],
    maxItems: 1000,
    description: 'Toàn bộ ánh xạ hoạt động của đối tác (thay cho ánh xạ trước)',
  })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  activities!: object[];
}

export class XapiActivityListDto {
  @ApiProperty({ type: [XapiActivityDto] }) activities!: XapiActivityDto[];
}
