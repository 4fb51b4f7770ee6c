import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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
import { NormalizeText, PageQueryDto } from '../../platform/src';

export class FindClassesQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'Tên xã, phường, đặc khu (gõ có dấu hoặc không dấu)', example: 'dong hy' })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  q!: string;
}

export class PublicSessionDto {
  @ApiProperty() position!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
}

/** A class as anyone may see it: where, when, how many seats — nobody's name. */
export class PublicClassDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() programName!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ example: 'Xã Đồng Hỷ' }) commune!: string;
  @ApiProperty({ nullable: true, type: String }) province!: string | null;
  @ApiProperty({ example: 'cultural_house' }) venueType!: string;
  @ApiProperty({ nullable: true, type: String }) venueAddress!: string | null;
  @ApiProperty({ enum: ['in_person', 'online', 'blended'] }) mode!: string;
  @ApiProperty() seatsLeft!: number;
  @ApiProperty({ type: [PublicSessionDto] }) sessions!: PublicSessionDto[];
}

export class ClassIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

/** Registering without signing in: the same identity the check-in page asks for. */
export class RegistrationDto {
  @ApiProperty({ example: 'Nguyễn Thị Ánh Tuyết' })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiProperty({ example: 1960 })
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear!: number;

  @ApiProperty({ example: '0912345678' })
  @IsString()
  @Matches(/^[\d\s.+-]{9,15}$/, { message: 'không phải số điện thoại' })
  phone!: string;

  @ApiPropertyOptional({
    description: 'Số CCCD (12 chữ số), để sau này xem giấy chứng nhận khi đăng nhập VNeID',
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'phải gồm đúng 12 chữ số' })
  cccd?: string;
}

export class RegisteredDto {
  @ApiProperty({ enum: ['registered', 'already_registered'] }) status!: 'registered' | 'already_registered';
  @ApiProperty() classTitle!: string;
  @ApiProperty({ description: 'Tên người được ghi danh (như đã lưu)' }) fullName!: string;
}

export class CitizenAttendanceDto {
  @ApiProperty() position!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ nullable: true, type: String, enum: ['present', 'late', 'excused', 'absent'] })
  status!: string | null;
}

export class CitizenClassDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() programName!: string;
  @ApiProperty() level!: number;
  @ApiProperty() commune!: string;
  @ApiProperty({ nullable: true, type: String }) venueAddress!: string | null;
  @ApiProperty() completed!: boolean;
  @ApiProperty({ type: [CitizenAttendanceDto] }) sessions!: CitizenAttendanceDto[];
}

export class CitizenCertificateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() serial!: string;
  @ApiProperty() programName!: string;
  @ApiProperty() level!: number;
  @ApiProperty() levelTitle!: string;
  @ApiProperty() issuedOn!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiProperty() verifyUrl!: string;
  @ApiProperty() pdfUrl!: string;
  @ApiProperty({ description: 'Chứng chỉ số Open Badges 3.0 (VC-JWT)' }) credentialUrl!: string;
}

export class CitizenMeDto {
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ description: 'Có hồ sơ học viên khớp số CCCD từ VNeID' }) found!: boolean;
  @ApiProperty({ type: [CitizenClassDto] }) classes!: CitizenClassDto[];
  @ApiProperty({ type: [CitizenCertificateDto] }) certificates!: CitizenCertificateDto[];
}

export class CertificateIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
