import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { ReportPeriodField } from './period';
import { UNIT_CODE, UNIT_CODE_MESSAGE } from './target.dto';

export const REPORT_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_FREQUENCIES = ['month', 'quarter', 'year'] as const;

export class ReportIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class ReportFiguresDto {
  @ApiPropertyOptional({ example: 120, description: 'Tổng số người thuộc đơn vị' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  headcount?: number;

  @ApiPropertyOptional({ example: 118, description: 'Số người đã được tập huấn' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  trained?: number;

  @ApiPropertyOptional({ example: 60, description: 'Số người thành thạo, ứng dụng được công cụ AI' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  proficient?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { ai_clubs: 3 },
    description: 'Các chỉ tiêu tự báo cáo của chương trình, theo mã',
  })
  @IsOptional()
  @IsObject()
  indicators?: Record<string, number>;

  @ApiPropertyOptional({ example: 'Đã tổ chức 2 buổi cho cán bộ các phòng.' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class CreateReportDto extends ReportFiguresDto {
  @ApiProperty()
  @IsUUID()
  programId!: string;

  @ReportPeriodField()
  period!: string;

  @ApiPropertyOptional({ example: '05533', description: 'Báo cáo của đơn vị hành chính (ban chỉ đạo)' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;

  @ApiPropertyOptional({ description: 'Báo cáo của cơ quan, đơn vị (thủ trưởng đơn vị)' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class ReturnReportDto {
  @ApiProperty({ example: 'Số người thành thạo lớn hơn số đã tập huấn, đề nghị rà soát.' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  comment!: string;
}

export class ApproveReportDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class ReopenReportDto {
  @ApiProperty({ example: 'Đơn vị đề nghị điều chỉnh số liệu quý II.' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

/** Report queries name the program `programId`, as every body does; `program` keeps working for old clients. */
interface ProgramQuery {
  programId?: string;
  program?: string;
}

export function programOf(query: ProgramQuery): string {
  return (query.programId ?? query.program)!;
}

export class ListReportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Chương trình (bắt buộc; tên cũ: program)' })
  @ValidateIf((o: ProgramQuery) => o.program === undefined)
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ format: 'uuid', deprecated: true, description: 'Tên cũ của programId' })
  @ValidateIf((o: ProgramQuery) => o.program !== undefined)
  @IsUUID()
  program?: string;

  @ApiPropertyOptional({ example: '19', description: 'Báo cáo của đơn vị và các đơn vị, cơ quan trực thuộc' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;

  @ReportPeriodField({ optional: true })
  period?: string;

  @ApiPropertyOptional({ enum: REPORT_STATUSES })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Chỉ các báo cáo đang chờ chính cấp của người gọi duyệt (hộp thư duyệt)',
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  awaitingMe?: boolean;
}

export class MissingReportsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Chương trình (bắt buộc; tên cũ: program)' })
  @ValidateIf((o: ProgramQuery) => o.program === undefined)
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ format: 'uuid', deprecated: true, description: 'Tên cũ của programId' })
  @ValidateIf((o: ProgramQuery) => o.program !== undefined)
  @IsUUID()
  program?: string;

  @ApiProperty({ example: '19', description: 'Đơn vị cấp trên: liệt kê các đơn vị, cơ quan trực thuộc' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ReportPeriodField()
  period!: string;
}

export class OverdueReportsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Chương trình (bắt buộc; tên cũ: program)' })
  @ValidateIf((o: ProgramQuery) => o.program === undefined)
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ format: 'uuid', deprecated: true, description: 'Tên cũ của programId' })
  @ValidateIf((o: ProgramQuery) => o.program !== undefined)
  @IsUUID()
  program?: string;

  @ApiProperty({ example: '19' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiPropertyOptional({ enum: REPORT_FREQUENCIES, default: 'quarter', description: 'Kỳ báo cáo định kỳ' })
  @IsOptional()
  @IsIn(REPORT_FREQUENCIES)
  frequency: (typeof REPORT_FREQUENCIES)[number] = 'quarter';
}

export class ReportOrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class RecordFiguresDto {
  @ApiProperty({ description: 'Số người có hồ sơ (của cơ quan, hoặc cư trú trong đơn vị)' }) members!: number;
  @ApiProperty({ description: 'Đã dự ít nhất một buổi học của chương trình' }) trained!: number;
  @ApiProperty({ description: 'Đã hoàn thành một lớp' }) completed!: number;
  @ApiProperty({ description: 'Hoàn thành và ứng dụng được ít nhất một công cụ AI' }) proficient!: number;
  @ApiProperty({ description: 'Số lớp họ đã dự' }) classes!: number;
}

export class ReportApprovalStepDto {
  @ApiProperty({ description: 'Thứ tự cấp duyệt, từ 1 (cấp thấp nhất)' }) step!: number;
  @ApiProperty({ enum: ['commune', 'district', 'province'] }) level!: string;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({
    enum: ['approved', 'awaiting', 'waiting'],
    description: 'approved: cấp này đã duyệt; awaiting: đang chờ cấp này; waiting: chưa đến cấp này',
  })
  state!: 'approved' | 'awaiting' | 'waiting';
  @ApiProperty({ nullable: true, type: String }) approverName!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
}

export class ReportDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ type: ReportOrganisationDto, nullable: true }) organisation!: ReportOrganisationDto | null;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ nullable: true, type: Number }) headcount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) trained!: number | null;
  @ApiProperty({ nullable: true, type: Number }) proficient!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Theo mã chỉ tiêu' })
  indicators!: Record<string, number>;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorName!: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment!: string | null;
  @ApiProperty({ description: 'Đã duyệt: bị khóa, cần mở lại trước khi sửa' }) locked!: boolean;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({
    type: RecordFiguresDto,
    nullable: true,
    description: 'Số liệu từ hồ sơ, chốt khi nộp (sửa hồ sơ sau đó không làm đổi báo cáo đã nộp)',
  })
  recordFigures!: RecordFiguresDto | null;
  @ApiProperty({
    type: [ReportApprovalStepDto],
    description: 'Các cấp duyệt, từ dưới lên, và báo cáo đang ở cấp nào',
  })
  approvals!: ReportApprovalStepDto[];
}

export class ExpectedReportDto {
  @ApiProperty({ enum: ['unit', 'organisation'] }) kind!: 'unit' | 'organisation';
  @ApiProperty({ description: 'Mã đơn vị, hoặc id của cơ quan' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ description: 'Hạn nộp (5 ngày sau khi hết kỳ)' }) dueOn!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ enum: ['missing', 'draft', 'returned'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) reportId!: string | null;
}
