import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { ORGANISATION_KINDS, OrganisationKind } from './organisation.entity';

export const ORGANISATION_KIND_NAMES: Record<OrganisationKind, string> = {
  agency: 'Cơ quan, đơn vị',
  mass_organisation: 'Tổ chức chính trị - xã hội',
  school: 'Trường học',
  enterprise: 'Doanh nghiệp',
  cooperative: 'Hợp tác xã',
  other: 'Khác',
};

export class CreateOrganisationDto {
  @ApiProperty({ example: '05692' })
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unitCode!: string;

  @ApiProperty({ example: 'Hội Nông dân xã Đồng Hỷ' })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: OrganisationKind;

  @ApiPropertyOptional({ description: 'Người dùng là thủ trưởng' })
  @IsOptional()
  @IsUUID()
  headUserId?: string;
}

export class UpdateOrganisationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  headUserId?: string | null;
}

export class ListOrganisationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class OrganisationIdParam {
  @IsUUID()
  id!: string;
}

export class OrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind!: OrganisationKind;
  @ApiProperty() kindName!: string;
  @ApiProperty({ type: Object }) unit!: { code: string; fullName: string };
  @ApiProperty({ nullable: true, type: Object }) head!: { id: string; displayName: string } | null;
}
