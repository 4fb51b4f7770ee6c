import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBase64,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';

const UNIT_CODE = /^\d{2,5}$/;

export class SignerProgramParam {
  @ApiProperty({ format: 'uuid', description: 'Mã chương trình' })
  @IsUUID()
  id!: string;
}

export class SignerUnitParam extends SignerProgramParam {
  @ApiProperty({ example: '19', pattern: UNIT_CODE.source, description: 'Mã đơn vị cấp giấy' })
  @Matches(UNIT_CODE, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unitCode!: string;
}

/** A seal image is small: a scanned stamp, PNG (with transparency) or JPEG. */
export const SEAL_MAX_BYTES = 300 * 1024;

export class SaveCertificateSignerDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 300,
    description: 'Tên cơ quan cấp giấy in trên giấy chứng nhận (bỏ trống: như của chương trình)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  issuer?: string | null;

  @ApiProperty({ example: 'Trưởng Ban Chỉ đạo', maxLength: 200 })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  signerTitle!: string;

  @ApiProperty({ example: 'Họ và tên người ký', maxLength: 200 })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  signerName!: string;

  @ApiPropertyOptional({
    description: 'Ảnh con dấu (PNG hoặc JPEG, tối đa 300 KB) mã hóa base64; bỏ trống: giữ con dấu đang dùng',
    maxLength: 420_000,
  })
  @IsOptional()
  @MaxLength(420_000)
  @IsBase64()
  sealImage?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: bỏ con dấu (giấy không in con dấu của đơn vị)' })
  @IsOptional()
  @IsBoolean()
  removeSeal?: boolean;
}

export class CertificateSignerDto {
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ nullable: true, type: String }) issuer!: string | null;
  @ApiProperty() signerTitle!: string;
  @ApiProperty() signerName!: string;
  @ApiProperty({ description: 'Đơn vị đã có ảnh con dấu' }) hasSeal!: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
