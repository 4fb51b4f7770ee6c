import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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
import { PageQueryDto } from '../../platform/src';
import { Pace } from './pace';
import { TRAINER_TIERS, TrainerTier } from './trainer.entity';

export class CreateTrainerDto {
  @ApiProperty() @IsUUID() personId!: string;

  @ApiProperty({ enum: TRAINER_TIERS })
  @IsIn(TRAINER_TIERS)
  tier!: TrainerTier;

  @ApiProperty({ example: '05692' })
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  homeUnitCode!: string;

  @ApiPropertyOptional({ description: 'Chỉ tiêu riêng; mặc định là chỉ tiêu của chương trình' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quota?: number;

  @ApiPropertyOptional({ description: 'Giảng viên đã đào tạo người này' })
  @IsOptional()
  @IsUUID()
  trainedById?: string;
}

export class UpdateTrainerDto {
  @ApiPropertyOptional({ enum: TRAINER_TIERS })
  @IsOptional()
  @IsIn(TRAINER_TIERS)
  tier?: TrainerTier;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  homeUnitCode?: string;

  @ApiPropertyOptional({ nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quota?: number | null;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  @IsOptional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'null: không còn ai đào tạo (gốc của cây)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  trainedById?: string | null;
}

export class ListTrainersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Mã đơn vị: giảng viên có đơn vị gốc trong đơn vị này' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ enum: TRAINER_TIERS })
  @IsOptional()
  @IsIn(TRAINER_TIERS)
  tier?: TrainerTier;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class DownstreamQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Số thế hệ tối đa bên dưới', minimum: 1, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  maxDepth?: number;
}

export const LEADERBOARD_SORTS = ['reach', 'quota', 'pace'] as const;

export class LeaderboardQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '19' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ enum: LEADERBOARD_SORTS, default: 'reach' })
  @IsOptional()
  @IsIn(LEADERBOARD_SORTS)
  sort: (typeof LEADERBOARD_SORTS)[number] = 'reach';
}

export class ProgramParam {
  @IsUUID()
  id!: string;
}

export class TrainerParam extends ProgramParam {
  @IsUUID()
  trainerId!: string;
}

export class TrainerDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty({ type: Object }) person!: { id: string; fullName: string; birthYear: number };
  @ApiProperty({ enum: TRAINER_TIERS }) tier!: TrainerTier;
  @ApiProperty({ type: Object }) homeUnit!: { code: string; fullName: string };
  @ApiProperty() quota!: number;
  @ApiProperty({ nullable: true, type: Number }) quotaOverride!: number | null;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: Object }) trainedBy!: { id: string; fullName: string } | null;
  @ApiProperty({ description: 'Thế hệ trong cây lan tỏa (0: gốc)' }) generation!: number;
  @ApiProperty() directReach!: number;
}

export class DownstreamTrainerDto extends TrainerDto {
  @ApiProperty({ description: 'Số thế hệ bên dưới giảng viên được hỏi' }) relativeDepth!: number;
}

export class ReachDto {
  @ApiProperty() trainerId!: string;
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

export class LeaderboardEntryDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ type: TrainerDto }) trainer!: TrainerDto;
  @ApiProperty() pace!: Pace;
}
