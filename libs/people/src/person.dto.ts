import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';
import type { Gender } from './person.entity';

const GENDERS = ['male', 'female', 'other'];

export class CreatePersonDto {
  @ApiProperty({ example: 'Nguyễn Thị Ánh Tuyết' })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({ example: '1990-05-17', description: 'Ngày sinh; hoặc chỉ năm sinh (birthYear)' })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ example: 1990 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: Gender;

  @ApiProperty({ example: '05692', description: 'Mã xã, phường, đặc khu nơi cư trú (đơn vị hiện hành)' })
  @Matches(/^\d{5}$/, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  communeCode!: string;

  @ApiProperty({ example: 'farmer' })
  @IsString()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng (ví dụ farmer, civil_servant)' })
  segment!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ example: '019190001234' })
  @IsOptional()
  @IsString()
  cccd?: string;

  @ApiPropertyOptional({ example: '0912 345 678' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

export class UpdatePersonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  communeCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng (ví dụ farmer, civil_servant)' })
  segment?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  cccd?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

export class ListPeopleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Tên (không phân biệt dấu), CCCD hoặc số điện thoại' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Mã đơn vị: chỉ người cư trú trong đơn vị này' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng' })
  segment?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class PersonIdParam {
  @IsUUID()
  id!: string;
}

export class MergePeopleDto {
  @ApiProperty({ type: [String], description: 'Các hồ sơ trùng sẽ được gộp vào hồ sơ :id' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  sourceIds!: string[];
}

export class DuplicatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'dismissed', 'merged'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'dismissed', 'merged'])
  status: 'open' | 'dismissed' | 'merged' = 'open';
}

export class DuplicateIdParam {
  @IsUUID()
  duplicateId!: string;
}

export class PersonDto {
  @ApiProperty() id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Che khi vai trò không cần' }) birthDate!:
    string | null;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ enum: GENDERS }) gender!: Gender;
  @ApiProperty({ type: Object }) commune!: { code: string; fullName: string };
  @ApiProperty({ type: Object }) province!: { code: string; fullName: string } | null;
  @ApiProperty() segment!: string;
  @ApiProperty({ nullable: true, type: Object }) organisation!: { id: string; name: string } | null;
  @ApiProperty({ nullable: true, type: String, example: '019******234' }) cccd!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '+8491****678' }) phone!: string | null;
  @ApiProperty({ description: 'false khi CCCD, điện thoại, ngày sinh bị che' }) personalData!: boolean;
  @ApiProperty({ nullable: true, type: String }) mergedIntoId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreatedPersonDto extends PersonDto {
  @ApiProperty({ type: [Object], description: 'Hồ sơ có thể trùng, đã đưa vào hàng đợi rà soát' })
  possibleDuplicates!: { personId: string; reason: string }[];
}

export class DuplicateDto {
  @ApiProperty() id!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() status!: string;
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
