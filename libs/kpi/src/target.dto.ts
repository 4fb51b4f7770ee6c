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
import { applyDecorators } from '@nestjs/common';
import { POPULATION_FIGURE_CODE, UnitRefDto } from '../../hierarchy/src';
import { IsCalendarDate } from '../../platform/src';
import { PeriodField } from './period';

export const TARGET_KINDS = ['absolute', 'percentage', 'rate'] as const;
export const SPLIT_METHODS = ['equal', 'population', 'manual'] as const;
export const UNIT_CODE = /^\d{2,5}$/;
export const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';

/** The day the unit carried its code, to name a unit that has since ended (a merged commune, an old district). */
export function UnitAsOfField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      format: 'date',
      description:
        'Đơn vị mang mã này vào ngày đó (xã đã sáp nhập, huyện của bản đồ cũ); mặc định: đơn vị hiện nay, ' +
        'nếu không có thì đơn vị gần nhất từng mang mã',
    }),
    IsOptional(),
    IsCalendarDate(),
  );
}

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

  @UnitAsOfField()
  unitAsOf?: string;

  @PeriodField({ optional: true })
  period?: string;
}

export class PutTargetDto {
  @ApiProperty({ example: '19' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @UnitAsOfField()
  unitAsOf?: string;

  @ApiProperty({ example: 'learners_reached' })
  @IsString()
  @MaxLength(40)
  indicator!: string;

  @PeriodField()
  period!: string;

  @ApiPropertyOptional({ example: 'civil_servant', description: 'Đối tượng (bỏ trống: mọi đối tượng)' })
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng' })
  segment?: string;

  @ApiProperty({
    enum: TARGET_KINDS,
    description:
      'absolute: một con số; percentage: tỷ lệ % của một số liệu dân số của đơn vị (populationFigure); ' +
      'rate: tỷ lệ % của số thực hiện một chỉ tiêu khác cùng đơn vị, kỳ và đối tượng (baseIndicator), ' +
      'ví dụ 80 % người hoàn thành khóa học ứng dụng được công cụ AI',
  })
  @IsIn(TARGET_KINDS)
  kind!: (typeof TARGET_KINDS)[number];

  @ApiProperty({
    example: 2500,
    minimum: 0,
    maximum: 1e9,
    description: 'Số tuyệt đối, hoặc tỷ lệ phần trăm (0–100) với percentage và rate',
  })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1e9)
  value!: number;

  @ApiPropertyOptional({
    example: 'working_age',
    pattern: POPULATION_FIGURE_CODE.source,
    description: 'Bắt buộc với percentage: tên số liệu dân số (xem GET /population-figures)',
  })
  @IsOptional()
  @Matches(POPULATION_FIGURE_CODE, { message: 'phải là tên số liệu dân số (chữ thường, không dấu)' })
  populationFigure?: string;

  @ApiPropertyOptional({
    example: 'completions',
    maxLength: 40,
    description: 'Bắt buộc với rate: mã chỉ tiêu làm mẫu số',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  baseIndicator?: string;
}

export class PutTargetsDto {
  @ApiProperty({
    type: [PutTargetDto],
    maxItems: 1000,
    description: 'Một kế hoạch nhiều dòng (nhiều đơn vị, kỳ, chỉ tiêu): ghi tất cả hoặc không ghi gì',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PutTargetDto)
  targets!: PutTargetDto[];
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
    example: 'total',
    default: 'total',
    pattern: POPULATION_FIGURE_CODE.source,
    description: 'Với cách chia theo dân số: tên số liệu dân số',
  })
  @IsOptional()
  @Matches(POPULATION_FIGURE_CODE, { message: 'phải là tên số liệu dân số (chữ thường, không dấu)' })
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
  @ApiProperty({ nullable: true, type: String }) populationFigureName!: string | null;
  @ApiProperty({ nullable: true, type: String }) baseIndicator!: string | null;
  @ApiProperty({ nullable: true, type: String }) baseIndicatorName!: string | null;
  @ApiProperty({ example: 'lũy kế đến hết năm 2030' }) periodLabel!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Số tuyệt đối: percentage tính từ dân số (null khi chưa có số liệu dân số); rate phụ thuộc số thực hiện ' +
      'của chỉ tiêu mẫu số nên chỉ có trong trang số liệu và kế hoạch (null ở đây)',
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
