import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { NormalizeText, PageQueryDto } from '../../platform/src';

export class ListCertificatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() programId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() classId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;

  @ApiPropertyOptional({ enum: ['valid', 'revoked'] })
  @IsOptional()
  @IsIn(['valid', 'revoked'])
  status?: 'valid' | 'revoked';

  @ApiPropertyOptional({ example: 'TN-2026-000123' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{1,10}-\d{4}-\d{6}$/, { message: 'phải có dạng TN-2026-000123' })
  serial?: string;
}

export class CertificateIdParam {
  @IsUUID()
  id!: string;
}

export class VerificationCodeParam {
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'không phải mã xác thực' })
  code!: string;
}

export class RevokeDto {
  @ApiProperty({ example: 'Cấp nhầm người' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class ReissueDto {
  @ApiPropertyOptional({ example: 'Sửa họ tên theo CCCD' })
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
    description: 'Mặc định: mọi học viên đã hoàn thành chưa có chứng nhận',
  })
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  enrolmentIds?: string[];
}

export class CertificateDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'TN-2026-000123' }) serial!: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status!: 'valid' | 'revoked';
  @ApiProperty() programId!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ nullable: true, type: String }) classId!: string | null;
  @ApiProperty({ type: Object }) learner!: {
    personId: string;
    fullName: string;
    birthYear: number;
    commune: string;
  };
  @ApiProperty() issuedOn!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({ nullable: true, type: Object }) replacedBy!: { id: string; serial: string } | null;
  @ApiProperty({ nullable: true, type: String }) replacesId!: string | null;
  @ApiProperty() verifyUrl!: string;
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
  @ApiProperty({ nullable: true, type: Object }) replacement!: { serial: string; verifyUrl: string } | null;
}
