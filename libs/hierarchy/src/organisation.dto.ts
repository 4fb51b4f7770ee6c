import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
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
import { UnitRefDto } from './unit.dto';

const UNIT_CODE = /^\d{2,5}$/;
const UNIT_CODE_MESSAGE = 'phải là mã đơn vị hành chính (2 đến 5 chữ số)';

export const ORGANISATION_KIND_NAMES: Record<OrganisationKind, string> = {
  agency: 'Cơ quan, đơn vị',
  mass_organisation: 'Tổ chức chính trị - xã hội',
  school: 'Trường học',
  enterprise: 'Doanh nghiệp',
  cooperative: 'Hợp tác xã',
  other: 'Khác',
};

export class CreateOrganisationDto {
  @ApiProperty({ example: '05692', pattern: UNIT_CODE.source })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unitCode!: string;

  @ApiProperty({ example: 'Hội Nông dân xã Đồng Hỷ', minLength: 2, maxLength: 300 })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: OrganisationKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Người dùng là thủ trưởng' })
  @IsOptional()
  @IsUUID()
  headUserId?: string;
}

export class UpdateOrganisationDto extends PartialType(
  PickType(CreateOrganisationDto, ['name', 'kind'] as const),
) {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Người dùng là thủ trưởng; null để bỏ',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  headUserId?: string | null;
}

export class ListOrganisationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: UNIT_CODE.source })
  @IsOptional()
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class OrganisationIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

/** The user heading an organisation. */
export class OrganisationHeadDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Nguyễn Văn A' }) displayName!: string;
}

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind!: OrganisationKind;
  @ApiProperty() kindName!: string;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ type: OrganisationHeadDto, nullable: true, description: 'Thủ trưởng (người dùng)' })
  head!: OrganisationHeadDto | null;
}
