import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ROLES, Role } from '../../access/src';
import { UnitRefDto } from '../../hierarchy/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';

export class AssignmentInputDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Đơn vị (cho ban chỉ đạo, theo dõi, giảng viên)', example: '19' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unitCode?: string;

  @ApiPropertyOptional({ description: 'Tổ chức (cho thủ trưởng đơn vị)' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class CreateUserDto {
  @ApiProperty({ description: 'Email hoặc số điện thoại', example: 'can.bo@thainguyen.gov.vn' })
  @IsString()
  @MaxLength(254)
  login!: string;

  @ApiProperty({ example: 'Nguyễn Thị Hoa' })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ minLength: 10, writeOnly: true })
  @IsString()
  password!: string;

  @ApiPropertyOptional({ description: 'Buộc đổi mật khẩu ở lần đăng nhập đầu', default: true })
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;

  @ApiPropertyOptional({
    description: 'Hồ sơ người học của chính người dùng (giảng viên đăng nhập bằng tài khoản của mình)',
  })
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiProperty({ type: [AssignmentInputDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AssignmentInputDto)
  assignments!: AssignmentInputDto[];
}

export class UpdateUserDto extends PartialType(PickType(CreateUserDto, ['displayName'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  personId?: string | null;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 10, writeOnly: true })
  @IsString()
  newPassword!: string;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Tìm theo tên đăng nhập hoặc tên hiển thị' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class AssignmentParam extends UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  assignmentId!: string;
}

export class AssignmentOrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class AssignmentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() roleName!: string;
  @ApiProperty({ nullable: true, type: UnitRefDto }) unit!: UnitRefDto | null;
  @ApiProperty({ nullable: true, type: AssignmentOrganisationDto })
  organisation!: AssignmentOrganisationDto | null;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() login!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: 'active' | 'disabled';
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty({ nullable: true, type: String }) personId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [AssignmentDto] }) assignments!: AssignmentDto[];
}
