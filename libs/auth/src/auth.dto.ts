import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { UserDto } from './user.dto';

export class LoginDto {
  @ApiProperty({ description: 'Email hoặc số điện thoại', example: 'admin@lantoa.vn' })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  login!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ writeOnly: true, minLength: 10 })
  @IsString()
  newPassword!: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ description: 'Thời hạn của accessToken, tính bằng giây' }) expiresIn!: number;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) tokenType!: 'Bearer';
}

export class AccessTokenDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Thời hạn của accessToken, tính bằng giây' }) expiresIn!: number;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) tokenType!: 'Bearer';
}

/** A renewed web session comes with the account, so the app needs no separate round trip to /auth/me. */
export class RenewedSessionDto extends AccessTokenDto {
  @ApiProperty({ type: () => UserDto, description: 'Tài khoản đang đăng nhập (như GET /auth/me)' })
  user!: UserDto;
}
