import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { POPULATION_FIGURES, UnitRefDto } from '../../hierarchy/src';
import { PERIOD_PATTERN } from './period';

export const TARGET_KINDS = ['absolute', 'percentage'] as const;
export const SPLIT_METHODS = ['equal', 'population', 'manual'] as const;
export const UNIT_CODE = /^\d{2,5}$/;
export const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';
export const PERIOD_MESSAGE = 'phải có dạng 2026, 2026-Q2 hoặc 2026-05';

export class ProgramIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class TargetIdParam extends ProgramIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  targetId!: string;
}

export class TargetQueryDto {
  @ApiProperty({ example: '19', description: 'Mã đơn vị: chỉ tiêu của đơn vị và các đơn vị trực thuộc' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiPropertyOptional({ example: '2026' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period?: string;
}

export class PutTargetDto {
  @ApiProperty({ example: '19' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiProperty({ example: 'learners_reached' })
  @IsString()
  @MaxLength(40)
  indicator!: string;

  @ApiProperty({ example: '2026' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiPropertyOptional({ example: 'civil_servant', description: 'Đối tượng (bỏ trống: mọi đối tượng)' })
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng' })
  segment?: string;

  @ApiProperty({ enum: TARGET_KINDS })
  @IsIn(TARGET_KINDS)
  kind!: (typeof TARGET_KINDS)[number];

  @ApiProperty({
    example: 2500,
    description: 'Số tuyệt đối, hoặc tỷ lệ phần trăm (0–100) của số liệu dân số',
  })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1e9)
  value!: number;

  @ApiPropertyOptional({ enum: POPULATION_FIGURES, description: 'Bắt buộc với chỉ tiêu theo tỷ lệ' })
  @IsOptional()
  @IsIn(POPULATION_FIGURES)
  populationFigure?: string;
}

export class ManualShareDto {
  @ApiProperty({ example: '05533' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiProperty({ example: 120 })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1e9)
  value!: number;
}

export class SplitTargetDto {
  @ApiProperty({ enum: SPLIT_METHODS, description: 'Chia đều, theo dân số, hoặc tự nhập cho từng đơn vị' })
  @IsIn(SPLIT_METHODS)
  method!: (typeof SPLIT_METHODS)[number];

  @ApiPropertyOptional({
    enum: POPULATION_FIGURES,
    default: 'total',
    description: 'Với cách chia theo dân số',
  })
  @IsOptional()
  @IsIn(POPULATION_FIGURES)
  populationFigure?: string;

  @ApiPropertyOptional({ type: [ManualShareDto], description: 'Với cách tự nhập' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ManualShareDto)
  shares?: ManualShareDto[];
}

export class TargetDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty() indicator!: string;
  @ApiProperty() indicatorName!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ nullable: true, type: String }) segment!: string | null;
  @ApiProperty({ enum: TARGET_KINDS }) kind!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ nullable: true, type: String }) populationFigure!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Số tuyệt đối (chỉ tiêu theo tỷ lệ: tính từ dân số)',
  })
  resolvedValue!: number | null;
  @ApiProperty({ nullable: true, type: String }) splitFromId!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class TargetGapDto {
  @ApiProperty({ type: TargetDto }) parent!: TargetDto;
  @ApiProperty() childrenTotal!: number;
  @ApiProperty({ description: 'Tổng chỉ tiêu các đơn vị con trừ chỉ tiêu đơn vị cha' }) difference!: number;
  @ApiProperty({ type: [UnitRefDto], description: 'Đơn vị con chưa được giao chỉ tiêu này' })
  childrenWithout!: UnitRefDto[];
}

export class SplitShareDto {
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ description: 'Phần chỉ tiêu đơn vị sẽ nhận' }) value!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Chỉ tiêu đơn vị đang có (nếu có)' })
  currentValue!: number | null;
}
