import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { IsCalendarDate, NormalizeText, PageQueryDto } from '../../platform/src';
import { Optional } from './items';
import { LEARNING_KINDS, LearningKind } from './partner.entities';

export const PARTNER_BATCH_LIMIT = 500;
/** Printable ASCII without spaces: a partner's ids (numbers, UUIDs, e-mail-like logins, paths). */
const PARTNER_ID = /^[\x21-\x7e]{1,100}$/;
const ITEM_ID = /^[\x21-\x7e]{1,200}$/;
const PROGRAM_CODE = /^[A-Z][A-Z0-9]{0,9}$/;
const COMMUNE_CODE = /^\d{5}$/;
const SEGMENT_CODE = /^[a-z_]{2,40}$/;
const GENDERS = ['male', 'female', 'other'];

const externalId = (description: string) =>
  ApiProperty({ example: 'HV-2026-0117', pattern: PARTNER_ID.source, description });

/** One learner as the partner knows them. Checked one by one: a bad item never sinks the batch. */
export class PartnerPersonInputDto {
  @externalId('Mã người học trong hệ thống của đối tác (duy nhất với đối tác)')
  @Matches(PARTNER_ID, { message: 'phải gồm 1 đến 100 ký tự ASCII in được, không có khoảng trắng' })
  externalId!: string;

  @ApiProperty({ example: 'Nguyễn Thị Ánh Tuyết', minLength: 2, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName!: string;

  @ApiPropertyOptional({ format: 'date', example: '1998-04-12', description: 'Ngày sinh, hoặc chỉ năm sinh' })
  @Optional()
  @IsCalendarDate()
  birthDate?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1900, maximum: 2100, example: 1998 })
  @Optional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear?: number;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: string;

  @ApiProperty({
    example: '05443',
    pattern: COMMUNE_CODE.source,
    description: 'Xã, phường, đặc khu nơi cư trú',
  })
  @Matches(COMMUNE_CODE, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  communeCode!: string;

  @ApiProperty({ example: 'student', pattern: SEGMENT_CODE.source, description: 'Đối tượng người học' })
  @Matches(SEGMENT_CODE, { message: 'phải là mã đối tượng (ví dụ student, worker)' })
  segment!: string;

  @ApiPropertyOptional({ example: '019198004521', description: 'Số CCCD (12 chữ số), nếu có' })
  @Optional()
  @IsString()
  @MaxLength(20)
  cccd?: string;

  @ApiPropertyOptional({ example: '0912 345 678', maxLength: 30 })
  @Optional()
  @IsString()
  @MaxLength(30)
  phone?: string;
}

/** Items are objects checked one by one (so one bad item is answered alone, the rest are written). */
const items = (type: new () => object, what: string) =>
  ApiProperty({
    type: [type],
    minItems: 1,
    maxItems: PARTNER_BATCH_LIMIT,
    description: `${what}; tối đa ${PARTNER_BATCH_LIMIT} mỗi lô, mỗi mục được trả lời riêng`,
  });

export class RegisterPeopleDto {
  @items(PartnerPersonInputDto, 'Người học')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_BATCH_LIMIT)
  people!: object[];
}

const PERSON_STATUSES = ['created', 'matched', 'unchanged', 'rejected'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export class ItemFieldErrorDto {
  @ApiProperty({ example: 'people[2].communeCode' }) field!: string;
  @ApiProperty({ example: 'phải là mã xã, phường, đặc khu (5 chữ số)' }) reason!: string;
}

/** What every item of a batch is answered with, besides its own status and ids. */
class ItemResultDto {
  @ApiProperty({ description: 'Vị trí trong lô (từ 0)' }) index!: number;
  @ApiPropertyOptional({ example: 'OUT_OF_SCOPE', description: 'Mã lý do (khi không ghi)' }) code?: string;
  @ApiPropertyOptional({ description: 'Lý do, bằng tiếng Việt' }) reason?: string;
  @ApiPropertyOptional({ type: [ItemFieldErrorDto] }) errors?: ItemFieldErrorDto[];
}

export class PersonResultDto extends ItemResultDto {
  @ApiProperty({ nullable: true, type: String }) externalId!: string | null;
  @ApiProperty({
    enum: PERSON_STATUSES,
    description:
      'created: hồ sơ mới; matched: trùng CCCD với một người đã có, được liên kết; unchanged: mã này đã đăng ký trước đó; rejected: không ghi (xem code, reason)',
  })
  status!: PersonStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Mã người học trong Lan Tỏa' })
  personId!: string | null;
  @ApiPropertyOptional({ description: 'Có hồ sơ nghi trùng (đưa vào hàng đợi để ban chỉ đạo xem xét)' })
  possibleDuplicate?: boolean;
}

export class PeopleSummaryDto {
  @ApiProperty() created!: number;
  @ApiProperty() matched!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() rejected!: number;
}

export class PeopleResultsDto {
  @ApiProperty({ type: [PersonResultDto], description: 'Một kết quả cho mỗi người gửi lên, theo thứ tự' })
  results!: PersonResultDto[];
  @ApiProperty({ type: PeopleSummaryDto }) summary!: PeopleSummaryDto;
}

export class ExternalIdParam {
  @ApiProperty({ example: 'HV-2026-0117', pattern: PARTNER_ID.source })
  @Matches(PARTNER_ID, { message: 'phải gồm 1 đến 100 ký tự ASCII in được, không có khoảng trắng' })
  externalId!: string;
}

export class PartnerPersonDto {
  @ApiProperty({ example: 'HV-2026-0117' }) externalId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ type: UnitRefDto, description: 'Xã, phường mà đối tác đã gửi' }) commune!: UnitRefDto;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
}

export class LookupPersonDto {
  @ApiPropertyOptional({ example: '019198004521', description: 'Số CCCD' })
  @Optional()
  @Matches(/^\d{12}$/, { message: 'phải gồm đúng 12 chữ số' })
  cccd?: string;

  @ApiPropertyOptional({ example: '0912 345 678' })
  @Optional()
  @IsString()
  @MaxLength(30)
  phone?: string;

  @ApiProperty({ type: 'integer', minimum: 1900, maximum: 2100, example: 1998 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear!: number;
}

export class LookupResultDto {
  @ApiProperty({ description: 'Có người học khớp trong phạm vi của khóa' }) found!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) personId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Mã của chính đối tác cho người này, nếu đã đăng ký',
  })
  externalId!: string | null;
}

/** Fields every learning item has. */
class LearningItemDto {
  @ApiProperty({
    example: 'lms-7731',
    pattern: ITEM_ID.source,
    description: 'Mã của mục trong hệ thống đối tác: gửi lại cùng mã không ghi thêm',
  })
  @Matches(ITEM_ID, { message: 'phải gồm 1 đến 200 ký tự ASCII in được, không có khoảng trắng' })
  id!: string;

  @externalId('Mã người học của đối tác (đã đăng ký qua /partner/people)')
  @Matches(PARTNER_ID, { message: 'phải gồm 1 đến 100 ký tự ASCII in được, không có khoảng trắng' })
  externalId!: string;

  @ApiProperty({ example: 'TN', pattern: PROGRAM_CODE.source, description: 'Mã chương trình' })
  @Matches(PROGRAM_CODE, { message: 'phải là mã chương trình (chữ in hoa và số, ví dụ TN)' })
  programCode!: string;

  @ApiPropertyOptional({
    example: '05443',
    pattern: COMMUNE_CODE.source,
    description: 'Xã, phường nơi tính kết quả (mặc định: nơi cư trú đã gửi khi đăng ký người học)',
  })
  @Optional()
  @Matches(COMMUNE_CODE, { message: 'phải là mã xã, phường, đặc khu (5 chữ số)' })
  communeCode?: string;
}

const level = () =>
  ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 5,
    example: 1,
    description: 'Cấp độ của chương trình',
  });
const score = () =>
  ApiPropertyOptional({ minimum: 0, maximum: 100, example: 86.5, description: 'Điểm (thang 100)' });

export class LessonInputDto extends LearningItemDto {
  @level()
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({ example: 'Bài 3: Viết câu lệnh cho trợ lý AI', minLength: 1, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  lesson!: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-04T20:15:00+07:00', description: 'Lúc học xong bài' })
  @IsISO8601({ strict: true })
  completedAt!: string;
}

export class CompletionInputDto extends LearningItemDto {
  @level()
  @IsInt()
  @Min(1)
  @Max(5)
  level!: number;

  @ApiProperty({
    format: 'date-time',
    example: '2026-05-06T21:40:00+07:00',
    description: 'Lúc hoàn thành cấp độ',
  })
  @IsISO8601({ strict: true })
  completedAt!: string;

  @score()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  score?: number;
}

export class OutcomeInputDto extends LearningItemDto {
  @ApiProperty({ description: 'Ứng dụng được ít nhất một công cụ AI vào công việc, cuộc sống' })
  @IsBoolean()
  canApply!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-05-20T09:00:00+07:00', description: 'Lúc đánh giá' })
  @IsISO8601({ strict: true })
  reportedAt!: string;

  @score()
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  score?: number;
}

export class LessonsBatchDto {
  @items(LessonInputDto, 'Bài học trực tuyến đã học xong')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_BATCH_LIMIT)
  lessons!: object[];
}

export class CompletionsBatchDto {
  @items(CompletionInputDto, 'Cấp độ đã hoàn thành')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_BATCH_LIMIT)
  completions!: object[];
}

export class OutcomesBatchDto {
  @items(OutcomeInputDto, 'Kết quả ứng dụng sau khóa học')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PARTNER_BATCH_LIMIT)
  outcomes!: object[];
}

const RECORD_STATUSES = ['recorded', 'duplicate', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export class RecordResultDto extends ItemResultDto {
  @ApiProperty({ nullable: true, type: String, description: 'Mã của mục (id) như đối tác đã gửi' })
  id!: string | null;
  @ApiProperty({
    enum: RECORD_STATUSES,
    description:
      'recorded: đã ghi; duplicate: mã này đã nhận trước đó với cùng nội dung, không ghi thêm; rejected: không ghi (xem code, reason)',
  })
  status!: RecordStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Mã bản ghi trong Lan Tỏa' })
  recordId!: string | null;
}

export class RecordSummaryDto {
  @ApiProperty() recorded!: number;
  @ApiProperty() duplicate!: number;
  @ApiProperty() rejected!: number;
}

export class RecordResultsDto {
  @ApiProperty({ type: [RecordResultDto], description: 'Một kết quả cho mỗi mục gửi lên, theo thứ tự' })
  results!: RecordResultDto[];
  @ApiProperty({ type: RecordSummaryDto }) summary!: RecordSummaryDto;
}

export class ListRecordsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEARNING_KINDS })
  @Optional()
  @IsIn(LEARNING_KINDS)
  kind?: LearningKind;

  @ApiPropertyOptional({ pattern: PARTNER_ID.source })
  @Optional()
  @Matches(PARTNER_ID, { message: 'phải gồm 1 đến 100 ký tự ASCII in được, không có khoảng trắng' })
  externalId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Nhận từ ngày (theo giờ Việt Nam)' })
  @Optional()
  @IsCalendarDate()
  since?: string;
}

export class PartnerRecordDto {
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ enum: LEARNING_KINDS }) kind!: LearningKind;
  @ApiProperty({ enum: ['api', 'xapi'] }) source!: 'api' | 'xapi';
  @ApiProperty({ nullable: true, type: String }) externalId!: string | null;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ example: 'TN' }) programCode!: string;
  @ApiProperty({ nullable: true, type: Number }) level!: number | null;
  @ApiProperty({ nullable: true, type: String }) lesson!: string | null;
  @ApiProperty({ type: UnitRefDto }) commune!: UnitRefDto;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ nullable: true, type: Boolean }) canApply!: boolean | null;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) voidedAt!: string | null;
}

export class PartnerLevelDto {
  @ApiProperty() level!: number;
  @ApiProperty() title!: string;
}

export class PartnerProgramDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'TN' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date' }) startsOn!: string;
  @ApiProperty({ format: 'date' }) endsOn!: string;
  @ApiProperty({ type: [PartnerLevelDto] }) levels!: PartnerLevelDto[];
  @ApiProperty({
    example: 'https://lantoa.thainguyen.gov.vn/xapi/programs/TN/levels/',
    description: 'Tiền tố IRI hoạt động xAPI chuẩn của chương trình (thêm số cấp độ)',
  })
  xapiActivityPrefix!: string;
}

export class PartnerSelfDto {
  @ApiProperty({ format: 'uuid' }) partnerId!: string;
  @ApiProperty() partnerName!: string;
  @ApiProperty({ example: 'ltk_4fQ9xZ2a' }) keyPrefix!: string;
  @ApiProperty({ format: 'date-time' }) keyExpiresAt!: string;
  @ApiProperty({ description: 'Số lượt gọi tối đa mỗi phút' }) rateLimit!: number;
  @ApiProperty({ type: UnitRefDto, description: 'Phạm vi của khóa: đơn vị này và các đơn vị trực thuộc' })
  unit!: UnitRefDto;
  @ApiProperty({ type: [PartnerProgramDto] }) programs!: PartnerProgramDto[];
}
