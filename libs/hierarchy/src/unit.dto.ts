import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';
import { UNIT_LEVELS, UnitLevel } from './unit.entity';

const UNIT_CODE = /^\d{2,5}$/;
const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';

export class UnitCodeParam {
  @ApiProperty({ pattern: UNIT_CODE.source, example: '19', description: 'Mã đơn vị hành chính' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  code!: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Ngày (YYYY-MM-DD): đọc cây đơn vị như vào ngày đó. Mặc định: hôm nay.',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class ListUnitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Mã đơn vị cha; bỏ trống để liệt kê các tỉnh, thành phố',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  parent?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class SearchUnitsQueryDto extends PageQueryDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    description: 'Tên cần tìm, không phân biệt dấu và hoa thường ("dong hy")',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q!: string;

  @ApiPropertyOptional({ enum: UNIT_LEVELS })
  @IsOptional()
  @IsIn(UNIT_LEVELS)
  level?: UnitLevel;

  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Chỉ tìm trong đơn vị có mã này (theo bản đồ hiện nay)',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  within?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

/** A unit as other resources name it. */
export class UnitRefDto {
  @ApiProperty({ example: '19' }) code!: string;
  @ApiProperty({ example: 'Tỉnh Thái Nguyên' }) fullName!: string;
}

export class UnitDto {
  @ApiProperty({ example: '19' }) code!: string;
  @ApiProperty({ enum: UNIT_LEVELS }) level!: UnitLevel;
  @ApiProperty({ example: 'Tỉnh' }) type!: string;
  @ApiProperty({ example: 'Thái Nguyên' }) name!: string;
  @ApiProperty({ example: 'Tỉnh Thái Nguyên' }) fullName!: string;
  @ApiProperty({ nullable: true, type: String }) parentCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) parentFullName!: string | null;
  @ApiProperty({ example: '2025-07-01' }) validFrom!: string;
  @ApiProperty({ nullable: true, type: String }) validTo!: string | null;
}

export class UnitListItemDto extends UnitDto {
  @ApiProperty() childCount!: number;
}

export class UnitLinkDto {
  @ApiProperty() code!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: ['merge', 'split'] }) kind!: 'merge' | 'split';
  @ApiProperty() effectiveDate!: string;
}

export class UnitDetailDto extends UnitDto {
  @ApiProperty({ type: [UnitDto], description: 'Từ cấp cao nhất xuống đơn vị cha' }) ancestors!: UnitDto[];
  @ApiProperty() childCount!: number;
  @ApiProperty({ type: [UnitLinkDto] }) predecessors!: UnitLinkDto[];
  @ApiProperty({ type: [UnitLinkDto] }) successors!: UnitLinkDto[];
  @ApiProperty({ description: 'Ngày mà thông tin này phản ánh' }) asOf!: string;
}

export class NewUnitDto {
  @ApiProperty({ example: '05443', pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  code!: string;

  @ApiProperty({ example: 'Đồng Hỷ', minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Xã Đồng Hỷ', minLength: 1, maxLength: 250 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(250)
  fullName!: string;

  @ApiProperty({ example: 'Xã', minLength: 1, maxLength: 20 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  type!: string;
}

export class MergeTargetDto {
  @ApiProperty({ example: '05443', pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  code!: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'Cho đơn vị mới; bỏ trống để nhập vào đơn vị đang có mã `code`',
  })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 250 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(250)
  fullName?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  type?: string;

  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Đơn vị cha của đơn vị mới; mặc định là đơn vị cha chung của các đơn vị nhập',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  parentCode?: string;
}

export const MERGE_TARGET_RULES = ['sum', 'resplit', 'none'] as const;
export const SPLIT_TARGET_RULES = ['population', 'equal', 'none'] as const;

export class MergeUnitsDto {
  @ApiProperty({
    type: [String],
    pattern: UNIT_CODE.source,
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    example: ['05440', '05441'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(UNIT_CODE, { each: true, message: UNIT_CODE_MESSAGE })
  sources!: string[];

  @ApiProperty({ type: MergeTargetDto })
  @ValidateNested()
  @Type(() => MergeTargetDto)
  into!: MergeTargetDto;

  @ApiProperty({ example: '2025-07-01', format: 'date' })
  @IsCalendarDate()
  effectiveDate!: string;

  @ApiPropertyOptional({
    enum: MERGE_TARGET_RULES,
    default: 'sum',
    description:
      'Chỉ tiêu của các kỳ chưa kết thúc vào ngày hiệu lực: sum — đơn vị sau sáp nhập nhận tổng chỉ tiêu của các ' +
      'đơn vị cũ; resplit — chia lại chỉ tiêu của đơn vị cấp trên cho các đơn vị trực thuộc theo dân số; none — giữ nguyên',
  })
  @IsOptional()
  @IsIn(MERGE_TARGET_RULES)
  targets: (typeof MERGE_TARGET_RULES)[number] = 'sum';
}

export class SplitUnitDto {
  @ApiProperty({ type: [NewUnitDto], minItems: 2, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NewUnitDto)
  parts!: NewUnitDto[];

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  effectiveDate!: string;

  @ApiPropertyOptional({
    enum: SPLIT_TARGET_RULES,
    default: 'population',
    description:
      'Chỉ tiêu của các kỳ chưa kết thúc vào ngày hiệu lực: population — chia cho các đơn vị mới theo dân số; ' +
      'equal — chia đều; none — giữ nguyên',
  })
  @IsOptional()
  @IsIn(SPLIT_TARGET_RULES)
  targets: (typeof SPLIT_TARGET_RULES)[number] = 'population';
}

export class RenameUnitDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ minLength: 1, maxLength: 250 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(250)
  fullName!: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 20,
    description: 'Loại đơn vị mới (ví dụ khi xã lên phường)',
  })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  type?: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  effectiveDate!: string;
}

export class ReparentUnitDto {
  @ApiProperty({ pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  parentCode!: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  effectiveDate!: string;
}

export class UnitImportTemplateQueryDto {
  @ApiPropertyOptional({
    example: '19',
    pattern: '^\\d{2}$',
    description: 'Điền sẵn tỉnh này và các xã, phường',
  })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'phải là mã tỉnh, thành phố (2 chữ số)' })
  province?: string;
}

export class UnitImportResultDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'Số dòng dữ liệu trong tệp' }) rows!: number;
  @ApiProperty({ description: 'Đơn vị mới (đã thêm, hoặc sẽ thêm khi dryRun)' }) created!: number;
  @ApiProperty({ description: 'Đơn vị đổi tên' }) updated!: number;
  @ApiProperty({ description: 'Đơn vị giữ nguyên' }) unchanged!: number;
}
