import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';
import type { DuplicateReason, Gender } from './person.entity';

const GENDERS = ['male', 'female', 'other'];
const DUPLICATE_REASONS: DuplicateReason[] = ['same_name', 'same_phone', 'swapped_name'];
const DUPLICATE_STATUSES = ['open', 'dismissed', 'merged'];
const COMMUNE_CODE = /^\d{5}$/;
const UNIT_CODE = /^\d{2,5}$/;
const SEGMENT_CODE = /^[a-z_]{2,40}$/;

export class CreatePersonDto {
  @ApiProperty({ example: 'Nguyễn Thị Ánh Tuyết', minLength: 2, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({
    example: '1990-05-17',
    format: 'date',
    description: 'Ngày sinh; hoặc chỉ năm sinh (birthYear)',
  })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1900, maximum: 2100, example: 1990 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: Gender;

  @ApiProperty({
    example: '05692',
    pattern: COMMUNE_CODE.source,
    description: 'Mã xã, phường, đặc khu nơi cư trú (đơn vị hiện hành)',
  })
  @Matches(COMMUNE_CODE, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  communeCode!: string;

  @ApiProperty({ example: 'farmer', pattern: SEGMENT_CODE.source })
  @IsString()
  @Matches(SEGMENT_CODE, { message: 'phải là mã đối tượng (ví dụ farmer, civil_servant)' })
  segment!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ example: '019190001234' })
  @IsOptional()
  @IsString()
  cccd?: string;

  @ApiPropertyOptional({ example: '0912 345 678', maxLength: 30 })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

export class UpdatePersonDto extends PartialType(OmitType(CreatePersonDto, ['organisationId'] as const)) {
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class ListPeopleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Tên (không phân biệt dấu), CCCD hoặc số điện thoại' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    pattern: UNIT_CODE.source,
    description: 'Mã đơn vị: chỉ người cư trú trong đơn vị này',
  })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ pattern: SEGMENT_CODE.source })
  @IsOptional()
  @Matches(SEGMENT_CODE, { message: 'phải là mã đối tượng' })
  segment?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class PersonIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class MergePeopleDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 20,
    uniqueItems: true,
    description: 'Các hồ sơ trùng sẽ được gộp vào hồ sơ :id',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds!: string[];
}

export class DuplicatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DUPLICATE_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(DUPLICATE_STATUSES)
  status: 'open' | 'dismissed' | 'merged' = 'open';
}

export class DuplicateIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  duplicateId!: string;
}

/** The organisation a learner belongs to. */
export class PersonOrganisationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Hội Nông dân xã Đồng Hỷ' }) name!: string;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Che khi vai trò không cần' }) birthDate!:
    string | null;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ enum: GENDERS }) gender!: Gender;
  @ApiProperty({ type: UnitRefDto, description: 'Xã, phường, đặc khu nơi cư trú' }) commune!: UnitRefDto;
  @ApiProperty({ type: UnitRefDto, nullable: true, description: 'Tỉnh, thành phố nơi cư trú' })
  province!: UnitRefDto | null;
  @ApiProperty() segment!: string;
  @ApiProperty({ type: PersonOrganisationDto, nullable: true }) organisation!: PersonOrganisationDto | null;
  @ApiProperty({ nullable: true, type: String, example: '019******234' }) cccd!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '+8491****678' }) phone!: string | null;
  @ApiProperty({ description: 'false khi CCCD, điện thoại, ngày sinh bị che' }) personalData!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Hồ sơ đã được gộp vào hồ sơ này',
  })
  mergedIntoId!: string | null;
  @ApiProperty() createdAt!: string;
}

/** A record that may be the same person as the one just registered. */
export class PossibleDuplicateDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({
    enum: DUPLICATE_REASONS,
    description:
      'same_name: cùng tên, năm sinh, xã; same_phone: cùng số điện thoại; swapped_name: tên đảo thứ tự',
  })
  reason!: DuplicateReason;
}

export class CreatedPersonDto extends PersonDto {
  @ApiProperty({
    type: [PossibleDuplicateDto],
    description: 'Hồ sơ có thể trùng, đã đưa vào hàng đợi rà soát',
  })
  possibleDuplicates!: PossibleDuplicateDto[];
}

export class DuplicateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DUPLICATE_REASONS }) reason!: string;
  @ApiProperty({ enum: DUPLICATE_STATUSES }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [PersonDto] }) people!: PersonDto[];
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'true: chỉ kiểm tra và xem trước, không ghi' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  dryRun: boolean = false;
}

export class PeopleImportResultDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'Số dòng dữ liệu trong tệp' }) rows!: number;
  @ApiProperty({ description: 'Người học mới (đã tạo, hoặc sẽ tạo khi dryRun)' }) created!: number;
  @ApiProperty({
    description: 'Dòng của người đã có (cùng CCCD, hoặc cùng tên, năm sinh, xã và số điện thoại): bỏ qua',
  })
  existing!: number;
}

/** An organisation's staff list: people already registered join it, unless another organisation has them. */
export class StaffImportResultDto extends PeopleImportResultDto {
  @ApiProperty({
    description: 'Người đã có, chưa thuộc cơ quan nào: được gắn vào cơ quan này (hoặc sẽ được, khi dryRun)',
  })
  attached!: number;
  @ApiProperty({ description: 'Người đã có, đang thuộc cơ quan, đơn vị khác: giữ nguyên' })
  elsewhere!: number;
}
