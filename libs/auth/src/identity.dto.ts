import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { UserIdParam } from './user.dto';

export class IdentityDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Mã nhà cung cấp đăng nhập (OIDC_PROVIDERS)', example: 'vneid' })
  provider!: string;

  @ApiProperty({ description: 'Định danh của người dùng tại nhà cung cấp (claim `sub`)' })
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastLoginAt!: string | null;
}

export class LinkIdentityDto {
  @ApiProperty({ example: 'vneid' })
  @IsString()
  @Matches(/^[a-z][a-z0-9]{0,19}$/, { message: 'không phải mã nhà cung cấp' })
  provider!: string;

  @ApiProperty({ description: 'Claim `sub` của người dùng tại nhà cung cấp' })
  @IsString()
  @Length(1, 255)
  subject!: string;
}

export class IdentityParam extends UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  identityId!: string;
}

export class OidcProviderDto {
  @ApiProperty({ example: 'vneid' })
  id!: string;

  @ApiProperty({ example: 'VNeID' })
  label!: string;
}

export class OidcStartQueryDto {
  @ApiPropertyOptional({ enum: ['staff', 'citizen'], default: 'staff' })
  @IsOptional()
  @IsIn(['staff', 'citizen'])
  purpose?: 'staff' | 'citizen';

  @ApiPropertyOptional({ description: 'Trang của ứng dụng mở sau khi đăng nhập', example: '/' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  next?: string;
}

export class SessionClosedDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Địa chỉ kết thúc phiên ở nhà cung cấp đăng nhập (nếu phiên mở bằng nhà cung cấp đó)',
  })
  endSessionUrl!: string | null;
}
