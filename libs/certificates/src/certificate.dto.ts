import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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

const SERIAL = /^[A-Z0-9]{1,10}-\d{4}-\d{6}$/;
const VERIFICATION_CODE = /^[A-Za-z0-9_-]{1,100}$/;

export class ListCertificatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() programId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() classId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() personId?: string;

  @ApiPropertyOptional({ enum: ['valid', 'revoked'] })
  @IsOptional()
  @IsIn(['valid', 'revoked'])
  status?: 'valid' | 'revoked';

  @ApiPropertyOptional({ example: 'TN-2026-000123', pattern: SERIAL.source })
  @IsOptional()
  @Matches(SERIAL, { message: 'phải có dạng TN-2026-000123' })
  serial?: string;
}

export class CertificateIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class VerificationCodeParam {
  @ApiProperty({ pattern: VERIFICATION_CODE.source, description: 'Mã xác thực trên mã QR' })
  @Matches(VERIFICATION_CODE, { message: 'không phải mã xác thực' })
  code!: string;
}

export class RevokeDto {
  @ApiProperty({ example: 'Cấp nhầm người', minLength: 3, maxLength: 500 })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class ReissueDto {
  @ApiPropertyOptional({ example: 'Sửa họ tên theo CCCD', minLength: 3, maxLength: 500 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason?: string;
}

export class IssueCertificatesDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Mặc định: mọi học viên đã hoàn thành chưa có chứng nhận',
  })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  enrolmentIds?: string[];

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Ngày cấp trong quá khứ, khi nhập bổ sung giấy chứng nhận đã cấp trước khi dùng Lan Tỏa (chỉ ban chỉ đạo; ' +
      'không trước ngày học viên hoàn thành; số hiệu theo năm của ngày cấp)',
  })
  @IsOptional()
  @IsCalendarDate()
  issuedOn?: string;
}

/** The learner as printed on a certificate (as at issue). */
export class CertificateLearnerDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ example: 'Xã Đồng Hỷ', description: 'Tên xã, phường, đặc khu nơi cư trú' }) commune!: string;
}

/** The certificate that replaced a revoked one. */
export class CertificateReplacementRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'TN-2026-000124' }) serial!: string;
}

export class CertificateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'TN-2026-000123' }) serial!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiProperty({ format: 'uuid' }) programId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) classId!: string | null;
  @ApiProperty({ type: CertificateLearnerDto }) learner!: CertificateLearnerDto;
  @ApiProperty() issuedOn!: string;
  @ApiProperty({ description: 'Nhập bổ sung: giấy đã cấp trước khi dùng Lan Tỏa, ngày cấp trong quá khứ' })
  imported!: boolean;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({
    type: CertificateReplacementRefDto,
    nullable: true,
    description: 'Giấy cấp lại thay giấy này',
  })
  replacedBy!: CertificateReplacementRefDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Giấy mà giấy này cấp lại' })
  replacesId!: string | null;
  @ApiProperty() verifyUrl!: string;
}

/** The replacement of a revoked certificate, as the public verification names it. */
export class VerificationReplacementDto {
  @ApiProperty({ example: 'TN-2026-000124' }) serial!: string;
  @ApiProperty({ description: 'Trang xác thực của giấy mới' }) verifyUrl!: string;
}

/** What anyone scanning the QR code sees: the certificate's own printed fields and its status, nothing else. */
export class VerificationDto {
  @ApiProperty() serial!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiProperty() statusText!: string;
  @ApiProperty() learnerName!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty() commune!: string;
  @ApiProperty({ nullable: true, type: String }) province!: string | null;
  @ApiProperty() programName!: string;
  @ApiProperty() level!: number;
  @ApiProperty() levelTitle!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() issuedOn!: string;
  @ApiProperty({ nullable: true, type: String }) revokedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({ type: VerificationReplacementDto, nullable: true, description: 'Giấy cấp lại (nếu có)' })
  replacement!: VerificationReplacementDto | null;
}

export class VerifyCredentialDto {
  @ApiProperty({ description: 'Chứng chỉ số Open Badges 3.0 dạng VC-JWT (chuỗi JWS gọn)' })
  @IsString()
  @MaxLength(20_000)
  credential!: string;
}

export class CredentialCheckDto {
  @ApiProperty({
    enum: ['genuine', 'revoked', 'altered', 'unreadable'],
    description:
      'genuine: đúng chữ ký của đơn vị cấp, không bị sửa, còn hiệu lực; revoked: đã thu hồi; altered: bị sửa hoặc không do đơn vị ký; unreadable: không phải chứng chỉ',
  })
  result!: 'genuine' | 'revoked' | 'altered' | 'unreadable';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Nội dung chứng chỉ (chỉ đáng tin khi result là genuine hoặc revoked)',
  })
  credential!: Record<string, unknown> | null;
}

export class StatusListParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2200)
  year!: number;
}

export class IssuerParam {
  @ApiProperty({ example: '19' })
  @Matches(/^\d{2,5}$/, { message: 'không phải mã đơn vị' })
  unitCode!: string;
}

export class JwkDto {
  @ApiProperty({ example: 'OKP' }) kty!: string;
  @ApiProperty({ example: 'Ed25519' }) crv!: string;
  @ApiProperty({ description: 'Khóa công khai (base64url)' }) x!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ example: 'EdDSA' }) alg!: string;
  @ApiProperty({ example: 'sig' }) use!: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] }) keys!: JwkDto[];
}

/** The issuing unit as an Open Badges 3.0 Profile. */
export class IssuerProfileDto {
  @ApiProperty({ name: '@context', type: [String] }) '@context'!: string[];
  @ApiProperty() id!: string;
  @ApiProperty({ type: [String], example: ['Profile'] }) type!: string[];
  @ApiProperty({ example: 'Ban Chỉ đạo Bình dân học AI Tỉnh Thái Nguyên' }) name!: string;
  @ApiProperty() url!: string;
}
