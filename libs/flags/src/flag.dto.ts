import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import {
  FLAG_PATTERNS,
  FLAG_SEVERITIES,
  FLAG_STATUSES,
  FlagPattern,
  FlagSeverity,
  FlagStatus,
} from './flag-patterns';

const UNIT_CODE = /^\d{2}(\d{3}){0,1}(\d{2})?$/;
const UNIT_CODE_MESSAGE = 'mã đơn vị gồm 2, 5 chữ số (hoặc 3 cho cấp huyện cũ)';
const UNIT_CODE_ANY = /^\d{2,5}$/;

export const FLAG_DECISIONS = ['clear', 'exclude', 'reopen'] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];

export class FlagIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class FlagQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid', description: 'Chương trình' })
  @IsUUID()
  programId!: string;

  @ApiPropertyOptional({ enum: FLAG_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(FLAG_STATUSES)
  status: FlagStatus = 'open';

  @ApiPropertyOptional({ enum: FLAG_PATTERNS })
  @IsOptional()
  @IsIn(FLAG_PATTERNS)
  pattern?: FlagPattern;

  @ApiPropertyOptional({ enum: FLAG_SEVERITIES })
  @IsOptional()
  @IsIn(FLAG_SEVERITIES)
  severity?: FlagSeverity;

  @ApiPropertyOptional({ example: '19', description: 'Chỉ các cảnh báo trong địa bàn này' })
  @IsOptional()
  @Matches(UNIT_CODE_ANY, { message: UNIT_CODE_MESSAGE })
  unit?: string;
}

export class FlagPersonDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) classId!: string | null;
}

export class FlagSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) programId!: string;
  @ApiProperty({ enum: FLAG_PATTERNS }) pattern!: FlagPattern;
  @ApiProperty({ description: 'Tên dấu hiệu' }) patternLabel!: string;
  @ApiProperty({ enum: FLAG_SEVERITIES }) severity!: FlagSeverity;
  @ApiProperty() severityLabel!: string;
  @ApiProperty({ enum: FLAG_STATUSES }) status!: FlagStatus;
  @ApiProperty() statusLabel!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) classId!: string | null;
  @ApiProperty({ nullable: true, type: String }) classTitle!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Giảng viên chính của lớp' }) trainerName!:
    string | null;
  @ApiProperty({ description: 'Số người có bản ghi bị cảnh báo' }) records!: number;
  @ApiProperty({ description: 'Tóm tắt bằng chứng' }) summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Bằng chứng đầy đủ' })
  evidence!: Record<string, unknown>;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ nullable: true, type: String }) explanation!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
}

export class FlagHistoryDto {
  @ApiProperty() action!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: String }) actorName!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class FlagDto extends FlagSummaryDto {
  @ApiProperty({ type: [FlagPersonDto] }) people!: FlagPersonDto[];
  @ApiProperty({ type: [FlagHistoryDto] }) history!: FlagHistoryDto[];
  @ApiProperty({ description: 'Người xem có thể quyết định (xác nhận hợp lệ / loại / mở lại)' })
  canDecide!: boolean;
  @ApiProperty({ description: 'Người xem có thể giải trình (giảng viên của lớp)' }) canExplain!: boolean;
}

export class FlagDecisionDto {
  @ApiProperty({
    enum: FLAG_DECISIONS,
    description: 'clear: hợp lệ; exclude: loại các bản ghi khỏi số liệu; reopen: mở lại',
  })
  @IsIn(FLAG_DECISIONS)
  decision!: FlagDecision;

  @ApiProperty({ minLength: 3, maxLength: 1000, description: 'Lý do (bắt buộc)' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class FlagExplanationDto {
  @ApiProperty({ minLength: 3, maxLength: 2000 })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  text!: string;
}

export class FlagSettingDto {
  @ApiProperty({ enum: FLAG_PATTERNS }) @IsIn(FLAG_PATTERNS) pattern!: FlagPattern;

  @ApiProperty() @IsBoolean() enabled!: boolean;

  @ApiProperty({ minimum: 0, maximum: 100000 })
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(100000)
  threshold!: number;

  @ApiProperty({ enum: FLAG_SEVERITIES }) @IsIn(FLAG_SEVERITIES) severity!: FlagSeverity;
}

export class FlagSettingViewDto extends FlagSettingDto {
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'Ngưỡng đo gì' }) thresholdMeaning!: string;
  @ApiProperty() defaultThreshold!: number;
  @ApiProperty({ enum: FLAG_SEVERITIES }) defaultSeverity!: FlagSeverity;
}

export class PutFlagSettingsDto {
  @ApiProperty({ type: [FlagSettingDto] })
  @ValidateNested({ each: true })
  @Type(() => FlagSettingDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(FLAG_PATTERNS.length)
  settings!: FlagSettingDto[];
}

export class ProgramParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class SplitQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

  @ApiProperty({ example: '19' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiPropertyOptional({
    example: '2026',
    description: 'Năm (2026), quý (2026-Q2), tháng (2026-05); mặc định: từ đầu chương trình',
  })
  @IsOptional()
  @Matches(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, { message: 'kỳ: năm, quý (2026-Q2) hoặc tháng (2026-05)' })
  period?: string;

  @ApiPropertyOptional({ enum: ['recorded', 'current'], default: 'recorded' })
  @IsOptional()
  @IsIn(['recorded', 'current'])
  view: 'recorded' | 'current' = 'recorded';
}

export class TrainerSplitQueryDto extends SplitQueryDto {
  @ApiPropertyOptional({ enum: ['verified', 'all'], default: 'verified', description: 'Xếp hạng theo' })
  @IsOptional()
  @IsIn(['verified', 'all'])
  rank: 'verified' | 'all' = 'verified';

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  offset: number = 0;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 100,
    description: 'Chỉ những giảng viên này (ví dụ: các giảng viên trên một trang của bảng xếp hạng)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? (value as unknown[]) : [value]))
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  trainerIds?: string[];
}

/** One figure as all records, and split into verified, flagged (open) and excluded people. */
export class SplitFigureDto {
  @ApiProperty() code!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'Mọi bản ghi' }) all!: number;
  @ApiProperty({ description: 'Chưa có cảnh báo nào đang mở hoặc bị loại' }) verified!: number;
  @ApiProperty({ description: 'Có cảnh báo đang chờ xem xét' }) flagged!: number;
  @ApiProperty({ description: 'Người xem xét đã loại khỏi số liệu' }) excluded!: number;
  @ApiProperty({ description: 'Tỷ lệ bị cảnh báo hoặc bị loại (0–1)' }) flaggedShare!: number;
}

export class UnitSplitDto {
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ type: [SplitFigureDto] }) figures!: SplitFigureDto[];
}

export class SplitDto extends UnitSplitDto {
  @ApiProperty() period!: string;
  @ApiProperty({ type: [UnitSplitDto], description: 'Các đơn vị trực thuộc' }) children!: UnitSplitDto[];
}

export class TrainerSplitDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ format: 'uuid' }) trainerId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() reachAll!: number;
  @ApiProperty() reachVerified!: number;
  @ApiProperty() reachFlagged!: number;
  @ApiProperty() reachExcluded!: number;
  @ApiProperty() flaggedShare!: number;
  @ApiProperty({ description: 'Cảnh báo đang mở về các lớp của giảng viên' }) openFlags!: number;
  @ApiProperty({ description: 'Số giảng viên được xếp hạng, kể cả những người ngoài trang này' })
  total!: number;
}
