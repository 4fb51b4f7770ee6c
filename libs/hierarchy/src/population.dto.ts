import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { NormalizeText } from '../../platform/src';
import { POPULATION_FIGURE_CODE } from './population.entity';
import { UnitRefDto } from './unit.dto';

export class PopulationQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1900,
    maximum: 2200,
    description: 'Năm; mặc định là năm gần nhất có số liệu',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;
}

export class PutPopulationDto {
  @ApiProperty({ type: 'integer', minimum: 1900, maximum: 2200, example: 2026 })
  @IsInt()
  @Min(1900)
  @Max(2200)
  year!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, nullable: true },
    example: { total: 1_320_000, working_age: 780_000, civil_servants: 42_000, enterprise_owners: 9_800 },
    description:
      'Số liệu theo tên (total, working_age, civil_servants, enterprise_owners hoặc tên khác); null để xóa',
  })
  @IsObject()
  figures!: Record<string, number | null>;
}

export class PopulationImportQueryDto {
  @ApiPropertyOptional({ description: 'true: chỉ kiểm tra và xem trước, không ghi' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  dryRun: boolean = false;
}

export class PopulationDto {
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ nullable: true, type: Number }) year!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Số liệu theo tên (total, working_age, civil_servants, enterprise_owners …)',
  })
  figures!: Record<string, number>;
}

export class PopulationImportResultDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty() rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
}

export class PopulationFigureCodeParam {
  @ApiProperty({ example: 'adults_with_smartphone', pattern: POPULATION_FIGURE_CODE.source })
  @Matches(POPULATION_FIGURE_CODE, {
    message: 'phải viết thường, không dấu, chữ số và dấu gạch dưới (2–40 ký tự)',
  })
  code!: string;
}

export class PutPopulationFigureKindDto {
  @ApiProperty({ example: 'Người trưởng thành có điện thoại thông minh', minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class PopulationFigureKindDto {
  @ApiProperty({ example: 'adults_with_smartphone' }) code!: string;
  @ApiProperty({ example: 'Người trưởng thành có điện thoại thông minh' }) name!: string;
  @ApiProperty({ description: 'Một trong bốn số liệu chuẩn (không đổi tên được)' }) standard!: boolean;
}
