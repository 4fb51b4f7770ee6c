import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { IsCalendarDate, PageQueryDto } from '../../platform/src';
import { Pace } from './pace';
import { TRAINER_TIERS, TrainerTier } from './trainer.entity';

const UNIT_CODE = /^\d{2,5}$/;
const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';
const TRAINER_STATUSES = ['active', 'inactive'];

export class CreateTrainerDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId!: string;

  @ApiProperty({ enum: TRAINER_TIERS })
  @IsIn(TRAINER_TIERS)
  tier!: TrainerTier;

  @ApiProperty({ example: '05692', pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  homeUnitCode!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    description: 'Chỉ tiêu riêng; mặc định là chỉ tiêu của chương trình',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quota?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Giảng viên đã đào tạo người này' })
  @IsOptional()
  @IsUUID()
  trainedById?: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Ngày trở thành giảng viên, khi nhập bổ sung lịch sử một chiến dịch đã bắt đầu trước (không ở tương lai); ' +
      'mặc định là hôm nay. Ngày trong quá khứ được đánh dấu là nhập bổ sung.',
  })
  @IsOptional()
  @IsCalendarDate()
  registeredOn?: string;
}

export class UpdateTrainerDto extends PartialType(
  PickType(CreateTrainerDto, ['tier', 'homeUnitCode'] as const),
) {
  @ApiPropertyOptional({
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    description: 'null: dùng chỉ tiêu của chương trình',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quota?: number | null;

  @ApiPropertyOptional({ enum: TRAINER_STATUSES })
  @IsOptional()
  @IsIn(TRAINER_STATUSES)
  status?: 'active' | 'inactive';

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'null: không còn ai đào tạo (gốc của cây)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  trainedById?: string | null;
}

export class ListTrainersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Mã đơn vị: giảng viên có đơn vị gốc trong đơn vị này',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;

  @ApiPropertyOptional({ enum: TRAINER_TIERS })
  @IsOptional()
  @IsIn(TRAINER_TIERS)
  tier?: TrainerTier;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class DownstreamQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Số thế hệ tối đa bên dưới', type: 'integer', minimum: 1, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  maxDepth?: number;
}

export const LEADERBOARD_SORTS = ['reach', 'quota', 'pace'] as const;

export class LeaderboardQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '19', pattern: UNIT_CODE.source })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;

  @ApiPropertyOptional({ enum: LEADERBOARD_SORTS, default: 'reach' })
  @IsOptional()
  @IsIn(LEADERBOARD_SORTS)
  sort: (typeof LEADERBOARD_SORTS)[number] = 'reach';

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'true: chỉ những giảng viên chậm tiến độ',
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  behind: boolean = false;
}

export class ProgramParam {
  @ApiProperty({ format: 'uuid', description: 'Mã chương trình' })
  @IsUUID()
  id!: string;
}

export class TrainerParam extends ProgramParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  trainerId!: string;
}

/** The person a trainer is. */
export class TrainerPersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty() birthYear!: number;
}

/** A trainer, by name (in a class, or who trained another trainer). */
export class TrainerRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fullName!: string;
}

export class TrainerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) programId!: string;
  @ApiProperty({ type: TrainerPersonDto }) person!: TrainerPersonDto;
  @ApiProperty({ enum: TRAINER_TIERS }) tier!: TrainerTier;
  @ApiProperty({ type: UnitRefDto, description: 'Đơn vị gốc' }) homeUnit!: UnitRefDto;
  @ApiProperty() quota!: number;
  @ApiProperty({ nullable: true, type: Number }) quotaOverride!: number | null;
  @ApiProperty({ enum: TRAINER_STATUSES }) status!: string;
  @ApiProperty({ type: TrainerRefDto, nullable: true, description: 'Giảng viên đã đào tạo người này' })
  trainedBy!: TrainerRefDto | null;
  @ApiProperty({ description: 'Thế hệ trong cây lan tỏa (0: gốc)' }) generation!: number;
  @ApiProperty() directReach!: number;
  @ApiProperty({
    format: 'date',
    description: 'Ngày trở thành giảng viên (ngày được tính vào lực lượng nòng cốt)',
  })
  registeredOn!: string;
  @ApiProperty({ description: 'Nhập bổ sung sau (ngày trở thành giảng viên trong quá khứ)' })
  imported!: boolean;
}

export class DownstreamTrainerDto extends TrainerDto {
  @ApiProperty({ description: 'Số thế hệ bên dưới giảng viên được hỏi' }) relativeDepth!: number;
}

export class ReachDto {
  @ApiProperty({ format: 'uuid' }) trainerId!: string;
  @ApiProperty() quota!: number;
  @ApiProperty() directReach!: number;
  @ApiProperty({ description: 'Số người khác nhau do giảng viên và toàn bộ cây bên dưới tiếp cận' })
  cascadeReach!: number;
  @ApiProperty() downstreamTrainers!: number;
  @ApiProperty() quotaProgress!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty() currentPacePerWeek!: number;
  @ApiProperty() neededPacePerWeek!: number;
  @ApiProperty({ nullable: true, type: String }) projectedCompletionDate!: string | null;
  @ApiProperty() behindSchedule!: boolean;
  @ApiProperty() programEndsOn!: string;
  @ApiProperty() asOf!: string;
}

/** Quota progress and pace of one trainer (the leaderboard's figures). */
export class PaceDto implements Pace {
  @ApiProperty() quota!: number;
  @ApiProperty() directReach!: number;
  @ApiProperty() quotaProgress!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty({ description: 'Số người mới tiếp cận mỗi tuần, trung bình 4 tuần gần nhất' })
  currentPacePerWeek!: number;
  @ApiProperty({ description: 'Số người mỗi tuần cần đạt từ hôm nay để hoàn thành chỉ tiêu đúng hạn' })
  neededPacePerWeek!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Ngày dự kiến đạt chỉ tiêu theo nhịp hiện tại (null: không đạt, nhịp bằng 0)',
  })
  projectedCompletionDate!: string | null;
  @ApiProperty() behindSchedule!: boolean;
}

/** Where a trainer stands among the active trainers of a unit (their commune, their province). */
export class StandingUnitDto {
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({
    description: 'Thứ hạng theo số người tiếp cận trực tiếp (1: nhiều nhất; bằng nhau cùng hạng)',
  })
  rank!: number;
  @ApiProperty({ description: 'Số giảng viên đang hoạt động của đơn vị' }) of!: number;
}

export class StandingDto {
  @ApiProperty({ format: 'uuid' }) trainerId!: string;
  @ApiProperty() directReach!: number;
  @ApiProperty({
    type: [StandingUnitDto],
    description:
      'Từ đơn vị gốc của giảng viên lên tỉnh, thành phố (chỉ thứ hạng và số giảng viên, không lộ ai khác)',
  })
  standings!: StandingUnitDto[];
}

export class LeaderboardEntryDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ type: TrainerDto }) trainer!: TrainerDto;
  @ApiProperty({ type: PaceDto }) pace!: PaceDto;
}

export class PeersQueryDto extends PageQueryDto {
  @ApiProperty({
    example: '19',
    pattern: UNIT_CODE.source,
    description: 'Xã hoặc tỉnh của giảng viên (một đơn vị trong thứ hạng của họ)',
  })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true: trang có chính giảng viên này (bỏ qua offset; offset của câu trả lời cho biết trang nào)',
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  aroundMe: boolean = false;
}

/** One trainer of the leaderboard a trainer sees of their own commune or province. */
export class PeerDto {
  @ApiProperty({ description: 'Bằng nhau thì cùng hạng' }) rank!: number;
  @ApiProperty({ format: 'uuid' }) trainerId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ type: UnitRefDto }) homeUnit!: UnitRefDto;
  @ApiProperty() directReach!: number;
  @ApiProperty({ description: 'Chính giảng viên được hỏi' }) me!: boolean;
}
