import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';

export class CompletionRuleDto {
  @ApiPropertyOptional({ description: 'Số buổi tối thiểu phải tham dự', example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  minSessions?: number;

  @ApiPropertyOptional({ description: 'Hoặc tỷ lệ buổi tối thiểu (0–1)', example: 0.67 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1)
  minShare?: number;
}

export class PhaseDto {
  @ApiProperty({ example: 'Đào tạo lực lượng nòng cốt' })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty() @IsCalendarDate() startsOn!: string;
  @ApiProperty() @IsCalendarDate() endsOn!: string;
}

export class LevelDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ example: 'Làm quen với trí tuệ nhân tạo' })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class SegmentDefinitionDto {
  @ApiProperty({ example: 'ethnic_minority' })
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã viết thường, dấu gạch dưới' })
  code!: string;

  @ApiProperty({ example: 'Đồng bào dân tộc thiểu số' })
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

  @ApiPropertyOptional({ example: 'default', description: 'Tên mẫu trong templates/certificates' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,60}$/, { message: 'phải là tên tệp mẫu (chữ thường, số, gạch ngang)' })
  template?: string;

  @ApiPropertyOptional({ example: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(300)
  issuer?: string;

  @ApiPropertyOptional({ example: 'Trưởng Ban Chỉ đạo' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  signerTitle?: string;

  @ApiPropertyOptional({ example: 'Nguyễn Văn A' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(200)
  signerName?: string;

  @ApiPropertyOptional({ example: 'Thái Nguyên', description: 'Địa danh ở dòng "…, ngày … tháng … năm …"' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(100)
  place?: string;
}

export class CreateProgramDto {
  @ApiProperty({ example: 'TN', description: 'Mã ngắn, dùng trong số hiệu chứng nhận' })
  @Matches(/^[A-Z][A-Z0-9]{0,9}$/, { message: 'phải là chữ in hoa và chữ số, tối đa 10 ký tự' })
  code!: string;

  @ApiProperty({ example: 'Bình dân học AI — Thái Nguyên 2026' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: '19' })
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  ownerUnitCode!: string;

  @ApiProperty() @IsCalendarDate() startsOn!: string;
  @ApiProperty() @IsCalendarDate() endsOn!: string;

  @ApiPropertyOptional({ default: 1500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  defaultQuota?: number;

  @ApiProperty({ type: CompletionRuleDto })
  @ValidateNested()
  @Type(() => CompletionRuleDto)
  completionRule!: CompletionRuleDto;

  @ApiPropertyOptional({ type: [PhaseDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases?: PhaseDto[];

  @ApiPropertyOptional({
    type: [LevelDto],
    description: 'Mặc định: 5 cấp độ của chương trình Bình dân học AI',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => LevelDto)
  levels?: LevelDto[];

  @ApiPropertyOptional({ type: [SegmentDefinitionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  extraSegments?: SegmentDefinitionDto[];

  @ApiPropertyOptional({
    type: [SegmentDefinitionDto],
    description:
      'Chỉ tiêu do đơn vị tự báo cáo trong báo cáo tiến độ (ngoài số người, đã tập huấn, thành thạo)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  reportedIndicators?: SegmentDefinitionDto[];

  @ApiPropertyOptional({ type: CertificateSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificateSettingsDto)
  certificate?: CertificateSettingsDto;
}

export class UpdateProgramDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() startsOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() endsOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  defaultQuota?: number;

  @ApiPropertyOptional({ type: CompletionRuleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CompletionRuleDto)
  completionRule?: CompletionRuleDto;

  @ApiPropertyOptional({ type: [PhaseDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases?: PhaseDto[];

  @ApiPropertyOptional({ type: [LevelDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => LevelDto)
  levels?: LevelDto[];

  @ApiPropertyOptional({ type: [SegmentDefinitionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  extraSegments?: SegmentDefinitionDto[];

  @ApiPropertyOptional({
    type: [SegmentDefinitionDto],
    description:
      'Chỉ tiêu do đơn vị tự báo cáo trong báo cáo tiến độ (ngoài số người, đã tập huấn, thành thạo)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SegmentDefinitionDto)
  reportedIndicators?: SegmentDefinitionDto[];

  @ApiPropertyOptional({ type: CertificateSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CertificateSettingsDto)
  certificate?: CertificateSettingsDto;
}

export class ListProgramsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Chương trình do đơn vị này hoặc đơn vị cấp trên chủ trì' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;
}

export class ProgramIdParam {
  @IsUUID()
  id!: string;
}

export class CreateMaterialDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ example: 'Video: Trò chuyện với trợ lý AI' })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ enum: ['video', 'document', 'link'] })
  @IsIn(['video', 'document', 'link'])
  kind!: 'video' | 'document' | 'link';

  @ApiProperty({ example: 'https://example.org/bai-1.mp4' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'phải là địa chỉ http(s) hợp lệ' },
  )
  @MaxLength(2000)
  url!: string;
}

export class ListMaterialsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  level?: number;
}

export class ProgramDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: Object }) ownerUnit!: { code: string; fullName: string };
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty() defaultQuota!: number;
  @ApiProperty({ type: Object }) completionRule!: { minSessions: number } | { minShare: number };
  @ApiProperty({ type: [PhaseDto] }) phases!: PhaseDto[];
  @ApiProperty({ type: [LevelDto] }) levels!: LevelDto[];
  @ApiProperty({ type: [SegmentDefinitionDto] }) extraSegments!: SegmentDefinitionDto[];
  @ApiProperty({ type: [SegmentDefinitionDto] }) reportedIndicators!: SegmentDefinitionDto[];
  @ApiProperty() materialCount!: number;
  @ApiProperty({ type: CertificateSettingsDto }) certificate!: CertificateSettings;
}

export class MaterialDto {
  @ApiProperty() id!: string;
  @ApiProperty() level!: number;
  @ApiProperty() title!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() url!: string;
  @ApiProperty() publishedAt!: string;
}
