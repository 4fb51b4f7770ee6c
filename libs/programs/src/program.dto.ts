import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';

const UNIT_CODE = /^\d{2,5}$/;
const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';
const SEGMENT_CODE = /^[a-z_]{2,40}$/;
const TEMPLATE_NAME = /^[a-z0-9-]{1,60}$/;
const PROGRAM_CODE = /^[A-Z][A-Z0-9]{0,9}$/;
const MATERIAL_KINDS = ['video', 'document', 'link'];

/** Unit levels that can approve progress reports, bottom up. */
export const REPORT_APPROVAL_LEVELS = ['commune', 'district', 'province'] as const;
export type ReportApprovalLevel = (typeof REPORT_APPROVAL_LEVELS)[number];

export class CompletionRuleDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 10,
    description: 'Số buổi tối thiểu phải tham dự',
    example: 2,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  minSessions?: number;

  @ApiPropertyOptional({
    minimum: 0.001,
    maximum: 1,
    description: 'Hoặc tỷ lệ buổi tối thiểu (0–1)',
    example: 0.67,
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1)
  minShare?: number;
}

export class PhaseDto {
  @ApiProperty({ example: 'Đào tạo lực lượng nòng cốt', minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'date' }) @IsCalendarDate() startsOn!: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() endsOn!: string;
}

export class LevelDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ example: 'Làm quen với trí tuệ nhân tạo', minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class SegmentDefinitionDto {
  @ApiProperty({ example: 'ethnic_minority', pattern: SEGMENT_CODE.source })
  @Matches(SEGMENT_CODE, { message: 'phải là mã viết thường, dấu gạch dưới' })
  code!: string;

  @ApiProperty({ example: 'Đồng bào dân tộc thiểu số', minLength: 1, maxLength: 100 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

export interface CertificateSettings {
  issueMode: 'auto' | 'manual';
  template: string;
  issuer: string | null;
  signerTitle: string | null;
  signerName: string | null;
  place: string | null;
}

export class CertificateSettingsDto {
  @ApiPropertyOptional({
    enum: ['auto', 'manual'],
    default: 'manual',
    description: 'auto: cấp ngay khi học viên hoàn thành',
  })
  @IsOptional()
  @IsIn(['auto', 'manual'])
  issueMode?: 'auto' | 'manual';

  @ApiPropertyOptional({
    example: 'default',
    pattern: TEMPLATE_NAME.source,
    description: 'Tên mẫu trong templates/certificates',
  })
  @IsOptional()
  @Matches(TEMPLATE_NAME, { message: 'phải là tên tệp mẫu (chữ thường, số, gạch ngang)' })
  template?: string;

  @ApiPropertyOptional({ example: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên', maxLength: 300 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(300)
  issuer?: string;

  @ApiPropertyOptional({ example: 'Trưởng Ban Chỉ đạo', maxLength: 200 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  signerTitle?: string;

  @ApiPropertyOptional({ example: 'Nguyễn Văn A', maxLength: 200 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  signerName?: string;

  @ApiPropertyOptional({
    example: 'Thái Nguyên',
    maxLength: 100,
    description: 'Địa danh ở dòng "…, ngày … tháng … năm …"',
  })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(100)
  place?: string;
}

export class CreateProgramDto {
  @ApiProperty({
    example: 'TN',
    pattern: PROGRAM_CODE.source,
    description: 'Mã ngắn, dùng trong số hiệu chứng nhận',
  })
  @Matches(PROGRAM_CODE, { message: 'phải là chữ in hoa và chữ số, tối đa 10 ký tự' })
  code!: string;

  @ApiProperty({ example: 'Bình dân học AI — Thái Nguyên 2026', minLength: 3, maxLength: 300 })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: '19', pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  ownerUnitCode!: string;

  @ApiProperty({ format: 'date' }) @IsCalendarDate() startsOn!: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() endsOn!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  defaultQuota?: number;

  @ApiProperty({ type: CompletionRuleDto })
  @ValidateNested()
  @Type(() => CompletionRuleDto)
  completionRule!: CompletionRuleDto;

  @ApiPropertyOptional({ type: [PhaseDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases?: PhaseDto[];

  @ApiPropertyOptional({
    type: [LevelDto],
    maxItems: 5,
    description: 'Mặc định: 5 cấp độ của chương trình Bình dân học AI',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => LevelDto)
  levels?: LevelDto[];

  @ApiPropertyOptional({ type: [SegmentDefinitionDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  extraSegments?: SegmentDefinitionDto[];

  @ApiPropertyOptional({
    type: [SegmentDefinitionDto],
    maxItems: 20,
    description:
      'Chỉ tiêu do đơn vị tự báo cáo trong báo cáo tiến độ (ngoài số người, đã tập huấn, thành thạo)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  reportedIndicators?: SegmentDefinitionDto[];

  @ApiPropertyOptional({
    enum: REPORT_APPROVAL_LEVELS,
    isArray: true,
    nullable: true,
    example: ['commune', 'province'],
    description:
      'Các cấp lần lượt duyệt báo cáo tiến độ, từ dưới lên (ví dụ xã rồi tỉnh); để trống: cấp trên trực tiếp duyệt một lần',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(REPORT_APPROVAL_LEVELS, { each: true, message: 'mỗi cấp là commune, district hoặc province' })
  reportApprovalLevels?: ReportApprovalLevel[] | null;

  @ApiPropertyOptional({ type: CertificateSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificateSettingsDto)
  certificate?: CertificateSettingsDto;
}

export class UpdateProgramDto extends PartialType(
  OmitType(CreateProgramDto, ['code', 'ownerUnitCode', 'defaultQuota'] as const),
) {
  // Declared again: a change keeps the quota unless one is given (no default of creation here).
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  defaultQuota?: number;
}

export class ListProgramsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Chương trình do đơn vị này hoặc đơn vị cấp trên chủ trì',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;
}

export class ProgramIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class CreateMaterialDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ example: 'Video: Trò chuyện với trợ lý AI', minLength: 1, maxLength: 300 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ enum: MATERIAL_KINDS })
  @IsIn(MATERIAL_KINDS)
  kind!: 'video' | 'document' | 'link';

  @ApiProperty({
    example: 'https://example.org/bai-1.mp4',
    format: 'uri',
    maxLength: 2000,
    description: 'Địa chỉ http(s)',
  })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'phải là địa chỉ http(s) hợp lệ' },
  )
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Ngày công bố trong quá khứ, khi nhập bổ sung học liệu đã phát hành trước khi dùng Lan Tỏa (không ở tương lai)',
  })
  @IsOptional()
  @IsCalendarDate()
  publishedOn?: string;
}

export class ListMaterialsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  level?: number;
}

/** A program's certificate settings as stored: every field present, unset ones null. */
export class ProgramCertificateSettingsDto implements CertificateSettings {
  @ApiProperty({ enum: ['auto', 'manual'], description: 'auto: cấp ngay khi học viên hoàn thành' })
  issueMode!: 'auto' | 'manual';
  @ApiProperty({ example: 'default', description: 'Tên mẫu trong templates/certificates' }) template!: string;
  @ApiProperty({ nullable: true, type: String }) issuer!: string | null;
  @ApiProperty({ nullable: true, type: String }) signerTitle!: string | null;
  @ApiProperty({ nullable: true, type: String }) signerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) place!: string | null;
}

export class ProgramDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: UnitRefDto, description: 'Đơn vị chủ trì' }) ownerUnit!: UnitRefDto;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty() defaultQuota!: number;
  @ApiProperty({
    type: CompletionRuleDto,
    description: 'Điều kiện hoàn thành: có đúng một trong hai trường minSessions hoặc minShare',
  })
  completionRule!: { minSessions: number } | { minShare: number };
  @ApiProperty({ type: [PhaseDto] }) phases!: PhaseDto[];
  @ApiProperty({ type: [LevelDto] }) levels!: LevelDto[];
  @ApiProperty({ type: [SegmentDefinitionDto] }) extraSegments!: SegmentDefinitionDto[];
  @ApiProperty({
    type: [SegmentDefinitionDto],
    description: 'Mọi đối tượng người học của chương trình: các đối tượng chuẩn và đối tượng riêng',
  })
  segments!: SegmentDefinitionDto[];
  @ApiProperty({ type: [SegmentDefinitionDto] }) reportedIndicators!: SegmentDefinitionDto[];
  @ApiProperty({
    enum: REPORT_APPROVAL_LEVELS,
    isArray: true,
    nullable: true,
    description: 'Các cấp duyệt báo cáo tiến độ, từ dưới lên; null: cấp trên trực tiếp duyệt một lần',
  })
  reportApprovalLevels!: ReportApprovalLevel[] | null;
  @ApiProperty() materialCount!: number;
  @ApiProperty({ type: ProgramCertificateSettingsDto }) certificate!: CertificateSettings;
}

export class MaterialDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: MATERIAL_KINDS }) kind!: string;
  @ApiProperty() url!: string;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ description: 'Nhập bổ sung, ngày công bố trong quá khứ' }) imported!: boolean;
}
