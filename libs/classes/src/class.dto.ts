import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CreatePersonDto } from '../../people/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { TRAINER_TIERS, TrainerTier } from '../../trainers/src';
import {
  ATTENDANCE_STATUSES,
  AttendanceStatus,
  CLASS_KINDS,
  CLASS_MODES,
  CLASS_STATUSES,
  ClassKind,
  ClassStatus,
  VENUE_TYPES,
} from './class.entities';

export class SessionInputDto {
  @ApiProperty({ example: '2026-11-20T08:00:00+07:00' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-11-20T09:30:00+07:00' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class CreateClassDto {
  @ApiProperty() @IsUUID() programId!: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ enum: CLASS_KINDS })
  @IsIn(CLASS_KINDS)
  kind!: ClassKind;

  @ApiProperty({ example: 'Lớp Bình dân học AI — thôn Làng Mới' })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ description: 'Giảng viên phụ trách (trong cùng chương trình)' })
  @IsUUID()
  leadTrainerId!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assistantTrainerIds?: string[];

  @ApiProperty({ example: '05692', description: 'Xã, phường, đặc khu nơi tổ chức' })
  @Matches(/^\d{5}$/, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  unitCode!: string;

  @ApiProperty({ enum: VENUE_TYPES })
  @IsIn(VENUE_TYPES)
  venueType!: string;

  @ApiPropertyOptional({ example: 'Nhà văn hóa xóm Làng Mới' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(500)
  venueAddress?: string;

  @ApiProperty({ enum: CLASS_MODES })
  @IsIn(CLASS_MODES)
  mode!: string;

  @ApiProperty({ example: 40 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity!: number;

  @ApiPropertyOptional({ example: 'farmer' })
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng' })
  targetSegment?: string;

  @ApiProperty({ type: [SessionInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions!: SessionInputDto[];
}

export class UpdateClassDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional({ enum: VENUE_TYPES })
  @IsOptional()
  @IsIn(VENUE_TYPES)
  venueType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(500)
  venueAddress?: string;

  @ApiPropertyOptional({ enum: CLASS_MODES })
  @IsOptional()
  @IsIn(CLASS_MODES)
  mode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assistantTrainerIds?: string[];

  @ApiPropertyOptional({ type: [SessionInputDto], description: 'Thay toàn bộ lịch (khi chưa có điểm danh)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions?: SessionInputDto[];
}

export class ClassStatusDto {
  @ApiProperty({ enum: CLASS_STATUSES })
  @IsIn(CLASS_STATUSES)
  status!: ClassStatus;
}

export class ListClassesQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() programId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ enum: CLASS_STATUSES })
  @IsOptional()
  @IsIn(CLASS_STATUSES)
  status?: ClassStatus;

  @ApiPropertyOptional({ enum: CLASS_KINDS })
  @IsOptional()
  @IsIn(CLASS_KINDS)
  kind?: ClassKind;

  @ApiPropertyOptional({ description: 'Lớp do giảng viên này phụ trách hoặc hỗ trợ' })
  @IsOptional()
  @IsUUID()
  trainerId?: string;
}

export class ClassIdParam {
  @IsUUID()
  id!: string;
}

export class SessionParam extends ClassIdParam {
  @IsUUID()
  sessionId!: string;
}

export class EnrolmentParam extends ClassIdParam {
  @IsUUID()
  enrolmentId!: string;
}

export class WalkInDto {
  @ApiProperty({ example: 'Triệu Thị Hoa' })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiProperty({ example: 1975 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear!: number;

  @ApiPropertyOptional({ example: '0912 345 678' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

/** Exactly one of personId (an existing learner), person (registered inline) or walkIn (minimal data). */
export class CreateEnrolmentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiPropertyOptional({ type: CreatePersonDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreatePersonDto)
  person?: CreatePersonDto;

  @ApiPropertyOptional({ type: WalkInDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WalkInDto)
  walkIn?: WalkInDto;
}

export class OutcomeDto {
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Biết ứng dụng ít nhất một công cụ AI' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsBoolean()
  canApplyAiTool?: boolean | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 100 })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  score?: number | null;

  @ApiPropertyOptional({ enum: ['withdrawn'], description: 'Rút khỏi lớp' })
  @IsOptional()
  @IsIn(['withdrawn'])
  status?: 'withdrawn';
}

export class MarkDto {
  @ApiProperty() @IsUUID() personId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;
}

export class RosterDto {
  @ApiProperty({ type: [MarkDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => MarkDto)
  marks!: MarkDto[];
}

export const SYNC_BATCH_LIMIT = 500;

export class SyncMarkDto {
  @ApiProperty({ description: 'Mã do thiết bị tạo (UUID), duy nhất cho mỗi lần điểm danh' })
  @IsUUID()
  clientId!: string;
  @ApiProperty() @IsUUID() sessionId!: string;
  @ApiProperty() @IsUUID() personId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;

  @ApiProperty({ description: 'Thời điểm điểm danh theo đồng hồ thiết bị (ISO 8601)' })
  @IsISO8601({ strict: true })
  recordedAt!: string;
}

export class SyncBatchDto {
  @ApiProperty({ type: [SyncMarkDto], maxItems: SYNC_BATCH_LIMIT })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SYNC_BATCH_LIMIT)
  @ValidateNested({ each: true })
  @Type(() => SyncMarkDto)
  marks!: SyncMarkDto[];
}

export class GraduateDto {
  @ApiPropertyOptional({ type: [String], description: 'Mặc định: mọi học viên đã hoàn thành' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  enrolmentIds?: string[];

  @ApiPropertyOptional({ enum: TRAINER_TIERS, default: 'commune_core' })
  @IsOptional()
  @IsIn(TRAINER_TIERS)
  tier?: TrainerTier;
}

export class DryRunQueryDto {
  @ApiPropertyOptional({ description: 'true: kiểm tra và xem trước, không ghi' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  dryRun: boolean = false;
}

export class SessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() position!: number;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
}

export class ClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ enum: CLASS_KINDS }) kind!: ClassKind;
  @ApiProperty() title!: string;
  @ApiProperty({ type: Object }) leadTrainer!: { id: string; fullName: string };
  @ApiProperty({ type: [Object] }) assistants!: { id: string; fullName: string }[];
  @ApiProperty({ type: Object }) unit!: { code: string; fullName: string };
  @ApiProperty() venueType!: string;
  @ApiProperty({ nullable: true, type: String }) venueAddress!: string | null;
  @ApiProperty() mode!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() enrolledCount!: number;
  @ApiProperty({ nullable: true, type: String }) targetSegment!: string | null;
  @ApiProperty({ enum: CLASS_STATUSES }) status!: ClassStatus;
  @ApiProperty({ type: [SessionDto] }) sessions!: SessionDto[];
}

export class EnrolmentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: Object }) person!: {
    id: string;
    fullName: string;
    birthYear: number;
    commune: string;
  };
  @ApiProperty() status!: string;
  @ApiProperty() walkIn!: boolean;
  @ApiProperty() attendedSessions!: number;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) canApplyAiTool!: boolean | null;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
}

export class SyncResultDto {
  @ApiProperty() clientId!: string;
  @ApiProperty({ enum: ['applied', 'applied_over', 'stale', 'duplicate', 'superseded', 'rejected'] })
  result!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: Object }) current?: { status: string; recordedAt: string; method: string };
}
