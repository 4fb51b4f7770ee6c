import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
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
import { PeriodField } from './period';
import { UNIT_CODE, UNIT_CODE_MESSAGE } from './target.dto';

export const CONTEST_ENTRY_KINDS = ['person', 'trainer', 'class', 'organisation'] as const;
export type ContestEntryKind = (typeof CONTEST_ENTRY_KINDS)[number];
export const CONTEST_STATUSES = ['open', 'published'] as const;

export class ContestIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class ContestEntryParam extends ContestIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  entryId!: string;
}

export class ContestCriterionInputDto {
  @ApiProperty({ example: 'Tính ứng dụng thực tế' })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 40, description: 'Trọng số (1–100); tổng điểm quy về thang 100 theo trọng số' })
  @IsInt()
  @Min(1)
  @Max(100)
  weight!: number;

  @ApiProperty({ example: 10, description: 'Điểm tối đa một giám khảo cho theo tiêu chí (1–1000)' })
  @IsInt()
  @Min(1)
  @Max(1000)
  maxPoints!: number;
}

export class CreateContestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

  @ApiProperty({ example: '19', description: 'Đơn vị tổ chức hội thi; bài dự thi đến từ địa bàn của đơn vị' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiProperty({ example: 'Hội thi "Bình dân học AI" năm 2026' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  name!: string;

  @ApiPropertyOptional({ example: 'Thi ứng dụng trí tuệ nhân tạo trong công việc và đời sống.' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @PeriodField()
  period!: string;

  @ApiPropertyOptional({ example: 3, description: 'Số giải: các bài xếp hạng từ 1 đến số này đạt giải' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  winners?: number;

  @ApiProperty({ type: [ContestCriterionInputDto] })
  @ValidateNested({ each: true })
  @Type(() => ContestCriterionInputDto)
  @ArrayMinSize(1, { message: 'cần ít nhất một tiêu chí chấm điểm' })
  @ArrayMaxSize(20)
  criteria!: ContestCriterionInputDto[];
}

export class ListContestsQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

  @ApiPropertyOptional({ example: '19', description: 'Chỉ các hội thi của đơn vị và các đơn vị trực thuộc' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;
}

export class CreateEntryDto {
  @ApiProperty({
    enum: CONTEST_ENTRY_KINDS,
    description: 'Cá nhân, giảng viên, lớp học hoặc cơ quan, tổ chức',
  })
  @IsIn(CONTEST_ENTRY_KINDS)
  kind!: ContestEntryKind;

  @ApiProperty({ format: 'uuid', description: 'Mã của người, giảng viên, lớp hoặc cơ quan dự thi' })
  @IsUUID()
  subjectId!: string;

  @ApiPropertyOptional({ example: 'Trợ lý AI trả lời thủ tục hành chính' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(300)
  title?: string;
}

export class CandidatesQueryDto {
  @ApiProperty({ enum: CONTEST_ENTRY_KINDS })
  @IsIn(CONTEST_ENTRY_KINDS)
  kind!: ContestEntryKind;

  @ApiPropertyOptional({ description: 'Tìm theo tên' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ScoreInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  criterionId!: string;

  @ApiProperty({ example: 8.5 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  points!: number;
}

export class PutScoresDto {
  @ApiProperty({ type: [ScoreInputDto] })
  @ValidateNested({ each: true })
  @Type(() => ScoreInputDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  scores!: ScoreInputDto[];
}

export class ContestUnitDto {
  @ApiProperty() code!: string;
  @ApiProperty() fullName!: string;
}

export class ContestCriterionDto {
  @ApiProperty() id!: string;
  @ApiProperty() position!: number;
  @ApiProperty() name!: string;
  @ApiProperty() weight!: number;
  @ApiProperty() maxPoints!: number;
}

export class ContestEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: CONTEST_ENTRY_KINDS }) kind!: ContestEntryKind;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ description: 'Tên người, giảng viên, lớp hoặc cơ quan dự thi' }) name!: string;
  @ApiProperty({ type: ContestUnitDto }) unit!: ContestUnitDto;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ description: 'Số giám khảo đã chấm đủ các tiêu chí' }) judges!: number;
  @ApiProperty({ description: 'Mọi tiêu chí đã có điểm của ít nhất một giám khảo' }) scored!: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Tổng điểm (thang 100, theo trọng số, trung bình các giám khảo); tạm tính khi chưa công bố',
  })
  total!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Thứ hạng (khi đã công bố)' }) rank!:
    number | null;
  @ApiProperty() winner!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Điểm người xem đã chấm, theo mã tiêu chí',
  })
  myScores!: Record<string, number>;
}

export class ContestSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty({ type: ContestUnitDto }) unit!: ContestUnitDto;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() period!: string;
  @ApiProperty({ example: 'năm 2026' }) periodLabel!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty() winners!: number;
  @ApiProperty({ enum: CONTEST_STATUSES }) status!: 'open' | 'published';
  @ApiProperty({ nullable: true, type: String }) publishedAt!: string | null;
  @ApiProperty() entryCount!: number;
}

export class ContestDto extends ContestSummaryDto {
  @ApiProperty({ type: [ContestCriterionDto] }) criteria!: ContestCriterionDto[];
  @ApiProperty({ type: [ContestEntryDto] }) entries!: ContestEntryDto[];
  @ApiProperty({ description: 'Người xem là giám khảo (ban chỉ đạo của đơn vị hoặc cấp trên)' })
  canJudge!: boolean;
}

export class ContestCandidateDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ContestUnitDto }) unit!: ContestUnitDto;
}
