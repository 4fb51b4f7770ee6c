import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
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
import { UnitRefDto } from '../../hierarchy/src';
import { CreatePersonDto } from '../../people/src';
import { NormalizeText, PageQueryDto } from '../../platform/src';
import { TRAINER_TIERS, TrainerRefDto, TrainerTier } from '../../trainers/src';
import {
  ATTENDANCE_METHODS,
  ATTENDANCE_STATUSES,
  AttendanceMethod,
  AttendanceStatus,
  CLASS_KINDS,
  CLASS_MODES,
  CLASS_STATUSES,
  ClassKind,
  ClassStatus,
  VENUE_TYPES,
} from './class.entities';

const COMMUNE_CODE = /^\d{5}$/;
const UNIT_CODE = /^\d{2,5}$/;
const SEGMENT_CODE = /^[a-z_]{2,40}$/;
const ENROLMENT_STATUSES = ['enrolled', 'completed', 'withdrawn'];

export class SessionInputDto {
  @ApiProperty({ example: '2026-11-20T08:00:00+07:00', format: 'date-time' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ example: '2026-11-20T09:30:00+07:00', format: 'date-time' })
  @IsISO8601({ strict: true })
  endsAt!: string;
}

export class CreateClassDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() programId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ enum: CLASS_KINDS })
  @IsIn(CLASS_KINDS)
  kind!: ClassKind;

  @ApiProperty({ example: 'Lớp Bình dân học AI — thôn Làng Mới', minLength: 3, maxLength: 300 })
  @NormalizeText()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ format: 'uuid', description: 'Giảng viên phụ trách (trong cùng chương trình)' })
  @IsUUID()
  leadTrainerId!: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 5,
    uniqueItems: true,
    description: 'Giảng viên hỗ trợ',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  assistantTrainerIds?: string[];

  @ApiProperty({
    example: '05692',
    pattern: COMMUNE_CODE.source,
    description: 'Xã, phường, đặc khu nơi tổ chức',
  })
  @Matches(COMMUNE_CODE, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  unitCode!: string;

  @ApiProperty({ enum: VENUE_TYPES })
  @IsIn(VENUE_TYPES)
  venueType!: string;

  @ApiPropertyOptional({ example: 'Nhà văn hóa xóm Làng Mới', maxLength: 500 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(500)
  venueAddress?: string;

  @ApiProperty({ enum: CLASS_MODES })
  @IsIn(CLASS_MODES)
  mode!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 40 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity!: number;

  @ApiPropertyOptional({ example: 'farmer', pattern: SEGMENT_CODE.source })
  @IsOptional()
  @Matches(SEGMENT_CODE, { message: 'phải là mã đối tượng' })
  targetSegment?: string;

  @ApiProperty({ type: [SessionInputDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions!: SessionInputDto[];
}

export class UpdateClassDto extends PartialType(
  PickType(CreateClassDto, [
    'title',
    'venueType',
    'venueAddress',
    'mode',
    'capacity',
    'assistantTrainerIds',
    'sessions',
  ] as const),
) {
  @ApiPropertyOptional({ type: [SessionInputDto], description: 'Thay toàn bộ lịch (khi chưa có điểm danh)' })
  override sessions?: SessionInputDto[];
}

export class ClassStatusDto {
  @ApiProperty({ enum: CLASS_STATUSES })
  @IsIn(CLASS_STATUSES)
  status!: ClassStatus;
}

export class ListClassesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() programId?: string;

  @ApiPropertyOptional({ pattern: UNIT_CODE.source })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'phải là mã đơn vị hành chính (2 đến 5 chữ số)' })
  unit?: string;

  @ApiPropertyOptional({ enum: CLASS_STATUSES })
  @IsOptional()
  @IsIn(CLASS_STATUSES)
  status?: ClassStatus;

  @ApiPropertyOptional({ enum: CLASS_KINDS })
  @IsOptional()
  @IsIn(CLASS_KINDS)
  kind?: ClassKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Lớp do giảng viên này phụ trách hoặc hỗ trợ' })
  @IsOptional()
  @IsUUID()
  trainerId?: string;
}

export class ClassIdParam {
  @ApiProperty({ format: 'uuid', description: 'Mã lớp học' })
  @IsUUID()
  id!: string;
}

export class SessionParam extends ClassIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId!: string;
}

export class EnrolmentParam extends ClassIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  enrolmentId!: string;
}

export class WalkInDto {
  @ApiProperty({ example: 'Triệu Thị Hoa', minLength: 2, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiProperty({ type: 'integer', minimum: 1900, maximum: 2100, example: 1975 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear!: number;

  @ApiPropertyOptional({ example: '0912 345 678', maxLength: 30 })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

/** Exactly one of personId (an existing learner), person (registered inline) or walkIn (minimal data). */
export class CreateEnrolmentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Người học đã có' })
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
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;
}

export class RosterDto {
  @ApiProperty({ type: [MarkDto], minItems: 1, maxItems: 1000, description: 'Mỗi người một dòng' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => MarkDto)
  marks!: MarkDto[];
}

export const SYNC_BATCH_LIMIT = 500;
/** Versions are PostgreSQL integers. */
export const INT4_MAX = 2_147_483_647;

export class SyncMarkDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Mã UUID do thiết bị tạo, duy nhất cho mỗi lần điểm danh (gửi lại cùng mã không ghi thêm)',
  })
  @IsUUID()
  clientId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() sessionId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;

  @ApiProperty({
    format: 'date-time',
    description:
      'Thời điểm điểm danh theo đồng hồ thiết bị (ISO 8601); không được muộn hơn giờ máy chủ quá 5 phút',
  })
  @IsISO8601({ strict: true })
  recordedAt!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: INT4_MAX,
    nullable: true,
    description:
      'Phiên bản của điểm danh mà thiết bị đang hiển thị khi giảng viên điểm danh (`versions` của bảng điểm ' +
      'danh, hoặc `current.version` của một kết quả đồng bộ); 0 nếu thiết bị chưa thấy điểm danh nào. ' +
      'Khi khớp với phiên bản đang lưu, điểm danh này là một chỉnh sửa có chủ ý và được ghi, kể cả khi thay ' +
      'điểm danh QR của học viên. Không gửi: coi như thiết bị chưa thấy điểm danh đang lưu.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  baseVersion?: number | null;
}

export class SyncBatchDto {
  @ApiProperty({ type: [SyncMarkDto], minItems: 1, maxItems: SYNC_BATCH_LIMIT })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SYNC_BATCH_LIMIT)
  @ValidateNested({ each: true })
  @Type(() => SyncMarkDto)
  marks!: SyncMarkDto[];
}

export class GraduateDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 1000,
    description: 'Mặc định: mọi học viên đã hoàn thành',
  })
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
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Thứ tự buổi (1, 2 …)' }) position!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
}

export class ClassDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) programId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty({ enum: CLASS_KINDS }) kind!: ClassKind;
  @ApiProperty() title!: string;
  @ApiProperty({ type: TrainerRefDto, description: 'Giảng viên phụ trách' }) leadTrainer!: TrainerRefDto;
  @ApiProperty({ type: [TrainerRefDto], description: 'Giảng viên hỗ trợ' }) assistants!: TrainerRefDto[];
  @ApiProperty({ type: UnitRefDto, description: 'Xã, phường, đặc khu nơi tổ chức' }) unit!: UnitRefDto;
  @ApiProperty({ enum: VENUE_TYPES }) venueType!: string;
  @ApiProperty({ nullable: true, type: String }) venueAddress!: string | null;
  @ApiProperty({ enum: CLASS_MODES }) mode!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() enrolledCount!: number;
  @ApiProperty({ nullable: true, type: String }) targetSegment!: string | null;
  @ApiProperty({ enum: CLASS_STATUSES }) status!: ClassStatus;
  @ApiProperty({ type: [SessionDto] }) sessions!: SessionDto[];
}

/** The learner of an enrolment. */
export class EnrolmentPersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ example: 'Xã Đồng Hỷ', description: 'Tên xã, phường, đặc khu nơi cư trú' }) commune!: string;
}

export class EnrolmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: EnrolmentPersonDto }) person!: EnrolmentPersonDto;
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status!: string;
  @ApiProperty({ description: 'Người đến trực tiếp, đăng ký với thông tin tối thiểu' }) walkIn!: boolean;
  @ApiProperty() attendedSessions!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) canApplyAiTool!: boolean | null;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
}

/** The mark stored for a (session, person), as a sync result reports it. */
export class SyncCurrentMarkDto {
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({
    enum: ATTENDANCE_METHODS,
    description: 'Cách ghi điểm danh (qr: học viên tự quét mã QR)',
  })
  method!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Phiên bản của điểm danh đang lưu: gửi lại làm `baseVersion` để sửa có chủ ý',
  })
  version!: number;
}

export const SYNC_RESULTS = [
  'applied',
  'applied_over',
  'stale',
  'duplicate',
  'superseded',
  'rejected',
  'conflict',
] as const;
export type SyncResult = (typeof SYNC_RESULTS)[number];

export class SyncResultDto {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({
    enum: SYNC_RESULTS,
    description: [
      'applied: đã ghi; hoặc trùng với điểm danh QR của học viên, bản ghi QR được giữ nguyên (kèm `current`).',
      'applied_over: đã ghi, thay một điểm danh khác (`current`: điểm danh bị thay).',
      'stale: không ghi, máy chủ đã có điểm danh ghi sau thời điểm này (`current`).',
      'duplicate: mã clientId này đã nhận trước đó, không ghi thêm; `earlierResult` là kết quả lần đầu.',
      'superseded: không ghi, cùng lô có điểm danh mới hơn cho cùng người, cùng buổi.',
      'rejected: không ghi, dữ liệu không hợp lệ (`reason`).',
      'conflict: không ghi, học viên đã tự điểm danh bằng mã QR mà thiết bị chưa thấy (`baseVersion` không ' +
        'khớp), và điểm danh này hạ mức chuyên cần (ví dụ vắng thay cho có mặt). `current` là điểm danh được ' +
        'giữ; giảng viên sửa trên danh sách điểm danh trực tuyến, hoặc gửi lại với `baseVersion` = ' +
        '`current.version` nếu chắc chắn.',
    ].join(' '),
  })
  result!: SyncResult;
  @ApiPropertyOptional({
    enum: SYNC_RESULTS.filter((r) => r !== 'duplicate'),
    description: 'Chỉ với duplicate: kết quả của lần gửi đầu tiên',
  })
  earlierResult?: SyncResult;
  @ApiPropertyOptional({ description: 'Lý do, bằng tiếng Việt (khi không được ghi, hoặc với duplicate)' })
  reason?: string;
  @ApiPropertyOptional({
    type: SyncCurrentMarkDto,
    description:
      'Điểm danh đang lưu: với applied_over là điểm danh bị thay; với applied là điểm danh QR được giữ; với ' +
      'stale và conflict là điểm danh được giữ; với duplicate là như lần gửi đầu',
  })
  current?: SyncCurrentMarkDto;
}

export class SyncResponseDto {
  @ApiProperty({ type: [SyncResultDto], description: 'Một kết quả cho mỗi dòng gửi lên' })
  results!: SyncResultDto[];
}

export class AttendanceSheetClassDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CLASS_STATUSES }) status!: string;
}

export class AttendanceSheetSessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
}

export class AttendanceRowDto extends EnrolmentDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...ATTENDANCE_STATUSES], nullable: true },
    description: 'Điểm danh theo mã buổi học (null: chưa điểm danh)',
  })
  marks!: Record<string, AttendanceStatus | null>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    description:
      'Phiên bản điểm danh theo mã buổi học (0: chưa điểm danh); thiết bị gửi kèm khi đồng bộ (`baseVersion`)',
  })
  versions!: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...ATTENDANCE_METHODS], nullable: true },
    description: 'Cách ghi điểm danh theo mã buổi học (qr: học viên tự quét mã QR; null: chưa điểm danh)',
  })
  methods!: Record<string, AttendanceMethod | null>;
}

/** A class's attendance: every enrolled learner × every session. */
export class AttendanceSheetDto {
  @ApiProperty({ type: AttendanceSheetClassDto }) class!: AttendanceSheetClassDto;
  @ApiProperty({ type: [AttendanceSheetSessionDto] }) sessions!: AttendanceSheetSessionDto[];
  @ApiProperty({ type: [AttendanceRowDto] }) rows!: AttendanceRowDto[];
}

/** The QR code of a session's self check-in, valid for a short window. */
export class CheckinTokenDto {
  @ApiProperty() token!: string;
  @ApiProperty({ description: 'Trang điểm danh mà mã QR mở' }) url!: string;
  @ApiProperty({ description: 'Mã QR (SVG)' }) svg!: string;
  @ApiProperty({ format: 'date-time', description: 'Mã hết hạn lúc' }) expiresAt!: string;
  @ApiProperty({ description: 'Số giây đến khi nên lấy mã mới' }) refreshAfterSeconds!: number;
  @ApiProperty({ description: 'Buổi học đang mở điểm danh' }) sessionOpen!: boolean;
}

export class GraduationSkipDto {
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiProperty({ example: 'chưa hoàn thành lớp' }) reason!: string;
}

export class GraduationResultDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Giảng viên mới được công nhận' })
  created!: string[];
  @ApiProperty({ type: [GraduationSkipDto], description: 'Học viên không được công nhận, với lý do' })
  skipped!: GraduationSkipDto[];
}

export class ClassImportSummaryDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'Số dòng dữ liệu trong tệp' }) rows!: number;
  @ApiProperty({ description: 'Người học mới được đăng ký' }) newPeople!: number;
  @ApiProperty({ description: 'Ghi danh mới vào lớp' }) newEnrolments!: number;
  @ApiProperty({ description: 'Số điểm danh được ghi (học viên × buổi)' }) marks!: number;
  @ApiProperty({ description: 'Kết quả "ứng dụng được công cụ AI" được ghi hoặc sửa' }) outcomes!: number;
  @ApiProperty({ description: 'Hồ sơ nghi trùng với người học mới, đã đưa vào hàng đợi rà soát' })
  possibleDuplicates!: number;
}

export class AttendanceConflictPersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fullName!: string;
}

/** An offline mark that was not written because it would have lowered a learner's QR check-in unseen. */
export class AttendanceConflictDto {
  @ApiProperty({ format: 'uuid', description: 'Mã điểm danh do thiết bị tạo' }) clientId!: string;
  @ApiProperty({ type: AttendanceSheetSessionDto }) session!: AttendanceSheetSessionDto;
  @ApiProperty({ type: AttendanceConflictPersonDto }) person!: AttendanceConflictPersonDto;
  @ApiProperty({ enum: ATTENDANCE_STATUSES, description: 'Điểm danh từ thiết bị (không được ghi)' })
  status!: string;
  @ApiProperty({ format: 'date-time', description: 'Thời điểm điểm danh theo đồng hồ thiết bị' })
  recordedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Máy chủ nhận lúc' }) receivedAt!: string;
  @ApiProperty({
    type: SyncCurrentMarkDto,
    nullable: true,
    description: 'Điểm danh được giữ khi xảy ra xung đột',
  })
  kept!: SyncCurrentMarkDto | null;
  @ApiProperty({ type: SyncCurrentMarkDto, nullable: true, description: 'Điểm danh đang lưu bây giờ' })
  current!: SyncCurrentMarkDto | null;
  @ApiProperty({
    description:
      'Đã xử lý: điểm danh đã được sửa sau xung đột (trên danh sách điểm danh, hoặc gửi lại có chủ ý)',
  })
  resolved!: boolean;
}
