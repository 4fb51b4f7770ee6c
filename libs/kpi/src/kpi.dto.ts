import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { UNIT_LEVELS, UnitLevel, UnitRefDto } from '../../hierarchy/src';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../platform/src';
import { KPI_VIEWS, KpiView } from './kpi-view';
import { PeriodField } from './period';
import { UNIT_CODE, UNIT_CODE_MESSAGE, UnitAsOfField } from './target.dto';

export class KpiQueryDto {
  @ApiProperty({ example: '19', description: 'Mã đơn vị hành chính' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @UnitAsOfField()
  unitAsOf?: string;

  @PeriodField()
  period!: string;

  @ApiPropertyOptional({
    enum: KPI_VIEWS,
    default: 'recorded',
    description:
      'recorded: theo địa bàn lúc ghi nhận; current: theo địa giới hiện nay (qua sáp nhập, chia tách)',
  })
  @IsOptional()
  @IsIn(KPI_VIEWS)
  view: KpiView = 'recorded';
}

export class DrilldownQueryDto extends PageQueryDto {
  @ApiProperty({ example: '19' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @UnitAsOfField()
  unitAsOf?: string;

  @PeriodField()
  period!: string;

  @ApiPropertyOptional({ enum: KPI_VIEWS, default: 'recorded' })
  @IsOptional()
  @IsIn(KPI_VIEWS)
  view: KpiView = 'recorded';

  @ApiProperty({ example: 'learners_reached' })
  @IsString()
  @MaxLength(60)
  indicator!: string;

  @ApiPropertyOptional({ example: 'farmer', description: 'Chỉ những người thuộc đối tượng này' })
  @IsOptional()
  @Matches(/^[a-z_]{2,40}$/, { message: 'phải là mã đối tượng' })
  segment?: string;
}

export const LEADERBOARD_ORDERS = ['percent', 'actual'] as const;

export class CommuneLeaderboardQueryDto extends PageQueryDto {
  @ApiProperty({ example: '19', description: 'Xếp hạng các xã, phường trong đơn vị này' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @PeriodField()
  period!: string;

  @ApiPropertyOptional({ enum: KPI_VIEWS, default: 'current' })
  @IsOptional()
  @IsIn(KPI_VIEWS)
  view: KpiView = 'current';

  @ApiPropertyOptional({ example: 'learners_reached', default: 'learners_reached' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  indicator: string = 'learners_reached';

  @ApiPropertyOptional({
    enum: LEADERBOARD_ORDERS,
    default: 'percent',
    description: '% chỉ tiêu, hoặc số thực hiện',
  })
  @IsOptional()
  @IsIn(LEADERBOARD_ORDERS)
  sort: (typeof LEADERBOARD_ORDERS)[number] = 'percent';
}

export class TrendPointDto {
  @ApiProperty({ example: '2026-05' }) month!: string;
  @ApiProperty({ description: 'Thực hiện trong tháng' }) value!: number;
  @ApiProperty({ description: 'Lũy kế từ đầu kỳ' }) cumulative!: number;
}

export class ShareDto {
  @ApiProperty({ example: 'population:working_age' }) of!: string;
  @ApiProperty({ example: 'Người trong độ tuổi lao động', description: 'Tên của mẫu số' }) ofName!: string;
  @ApiProperty() base!: number;
  @ApiProperty({ description: 'Phần trăm' }) percent!: number;
}

export class TargetBasisDto {
  @ApiProperty({
    enum: ['percentage', 'rate'],
    description: 'percentage: của số liệu dân số; rate: của chỉ tiêu khác',
  })
  kind!: 'percentage' | 'rate';
  @ApiProperty({ example: 80, description: 'Tỷ lệ phần trăm giao' }) percent!: number;
  @ApiProperty({ example: 'completions', description: 'population:<tên số liệu> hoặc mã chỉ tiêu' })
  of!: string;
  @ApiProperty({ example: 'Người hoàn thành khóa học' }) ofName!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Giá trị mẫu số (null khi chưa có số liệu dân số)',
  })
  base!: number | null;
}

export class IndicatorFigureDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'người' }) unitOfMeasure!: string;
  @ApiProperty({ enum: ['records', 'reports', 'program'] }) source!: string;
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '% chỉ tiêu' }) percentOfTarget!: number | null;
  @ApiProperty({
    nullable: true,
    type: TargetBasisDto,
    description: 'Chỉ tiêu giao theo tỷ lệ: tỷ lệ và mẫu số của nó',
  })
  targetBasis!: TargetBasisDto | null;
  @ApiProperty({ nullable: true, type: ShareDto }) share!: ShareDto | null;
  @ApiProperty({ type: [TrendPointDto] }) trend!: TrendPointDto[];
}

export class ChildFigureDto {
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
}

export class ChildUnitDto extends UnitRefDto {
  @ApiProperty({ description: 'Còn tồn tại trên bản đồ hiện nay (false: đã sáp nhập, chia tách)' })
  current!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date',
    description:
      'Đơn vị đã kết thúc: ngày sau ngày cuối cùng (mở số liệu của nó với unitAsOf là một ngày trước đó)',
  })
  validTo!: string | null;
}

@ApiExtraModels(ChildFigureDto)
export class ChildFiguresDto {
  @ApiProperty({ type: ChildUnitDto }) unit!: ChildUnitDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ChildFigureDto) },
    description: 'Theo mã chỉ tiêu',
  })
  indicators!: Record<string, ChildFigureDto>;
}

export class SegmentFiguresDto {
  @ApiProperty() segment!: string;
  @ApiProperty() name!: string;
  @ApiProperty() reached!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() proficient!: number;
  @ApiProperty({
    description: 'Trong số được tiếp cận: người được tiếp cận lần đầu qua học trực tuyến / đối tác',
  })
  reachedOnline!: number;
  @ApiProperty({ description: 'Trong số hoàn thành: người hoàn thành lần đầu qua học trực tuyến / đối tác' })
  completedOnline!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Chỉ tiêu người học của đối tượng' })
  target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
  @ApiProperty({
    type: () => [SegmentTargetDto],
    description: 'Mọi chỉ tiêu của đối tượng: tiếp cận, hoàn thành, ứng dụng được công cụ AI',
  })
  targets!: SegmentTargetDto[];
}

export class SegmentTargetDto {
  @ApiProperty({ example: 'proficient_learners' }) indicator!: string;
  @ApiProperty() indicatorName!: string;
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
  @ApiProperty({ nullable: true, type: TargetBasisDto }) targetBasis!: TargetBasisDto | null;
}

export class LevelFiguresDto {
  @ApiProperty({ minimum: 1, maximum: 5 }) level!: number;
  @ApiProperty({ example: 'Làm quen với trí tuệ nhân tạo' }) title!: string;
  @ApiProperty({ description: 'Lớp học của cấp độ này đã tổ chức trong kỳ' }) classes!: number;
  @ApiProperty({ description: 'Giấy chứng nhận cấp độ này đã cấp trong kỳ (mỗi người một giấy mỗi cấp độ)' })
  certificates!: number;
  @ApiProperty({ description: 'Người hoàn thành cấp độ này qua học trực tuyến / đối tác trong kỳ' })
  onlineCompletions!: number;
}

export class KpiProgramDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'TN' }) code!: string;
  @ApiProperty() name!: string;
}

export class KpiUnitDto extends UnitRefDto {
  @ApiProperty({ enum: UNIT_LEVELS }) level!: UnitLevel;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-Q2' }) code!: string;
  @ApiProperty({ example: 'quý II năm 2026' }) label!: string;
  @ApiProperty({ example: '2026-04-01', description: 'Ngày đầu kỳ' }) from!: string;
  @ApiProperty({ example: '2026-07-01', description: 'Ngày sau ngày cuối kỳ' }) to!: string;
}

export class KpiDto {
  @ApiProperty({ type: KpiProgramDto }) program!: KpiProgramDto;
  @ApiProperty({ type: KpiUnitDto }) unit!: KpiUnitDto;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ enum: KPI_VIEWS }) view!: KpiView;
  @ApiProperty({ description: 'Ngày tính số liệu (giờ Việt Nam)' }) asOf!: string;
  @ApiProperty({ type: [IndicatorFigureDto] }) indicators!: IndicatorFigureDto[];
  @ApiProperty({ type: [ChildFiguresDto] }) byChild!: ChildFiguresDto[];
  @ApiProperty({ type: [SegmentFiguresDto] }) bySegment!: SegmentFiguresDto[];
  @ApiProperty({ type: [LevelFiguresDto], description: 'Theo cấp độ của chương trình' })
  byLevel!: LevelFiguresDto[];
  @ApiProperty({ type: [String] }) notes!: string[];
}

export class LeaderboardRowDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
}

export const DRILLDOWN_KINDS = [
  'people',
  'classes',
  'certificates',
  'trainers',
  'materials',
  'reports',
  'contest_entries',
] as const;
export type DrilldownKind = (typeof DRILLDOWN_KINDS)[number];

export class DrilldownPersonDto {
  @ApiProperty() id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Chỉ hiện với vai trò được xem dữ liệu cá nhân' })
  birthDate!: string | null;
  @ApiProperty({ enum: ['male', 'female', 'other'] }) gender!: string;
  @ApiProperty({ example: 'farmer' }) segment!: string;
  @ApiProperty({ example: 'Nông dân' }) segmentName!: string;
  @ApiProperty({ type: UnitRefDto, description: 'Xã, phường nơi cư trú' }) commune!: UnitRefDto;
  @ApiProperty({ nullable: true, type: String, description: 'Che một phần nếu vai trò không cần' })
  cccd!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Che một phần nếu vai trò không cần' })
  phone!: string | null;
  @ApiProperty() firstAttendedOn!: string;
  @ApiProperty({ nullable: true, type: String }) completedOn!: string | null;
  @ApiProperty({ description: 'Ứng dụng được ít nhất một công cụ AI' }) proficient!: boolean;
  @ApiProperty({
    enum: ['class', 'online'],
    description: 'Hình thức tiếp cận lần đầu: lớp học, hoặc học trực tuyến / đối tác',
  })
  reachedVia!: 'class' | 'online';
  @ApiProperty({
    enum: ['class', 'online'],
    nullable: true,
    type: String,
    description: 'Hình thức hoàn thành lần đầu (null: chưa hoàn thành)',
  })
  completedVia!: 'class' | 'online' | null;
}

export class DrilldownClassDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ enum: ['citizen', 'training_of_trainers'] }) kind!: string;
  @ApiProperty() heldOn!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() leadTrainerName!: string;
  @ApiProperty() enrolledCount!: number;
}

export class DrilldownCertificateDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'TN-2026-000123' }) serial!: string;
  @ApiProperty() level!: number;
  @ApiProperty({ nullable: true, type: String }) levelTitle!: string | null;
  @ApiProperty() issuedOn!: string;
  @ApiProperty() fullName!: string;
}

export class DrilldownTrainerDto {
  @ApiProperty() id!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: ['provincial_core', 'commune_core', 'organisation'] }) tier!: string;
  @ApiProperty() homeUnitCode!: string;
  @ApiProperty() homeUnitName!: string;
  @ApiProperty() quota!: number;
  @ApiProperty() directReach!: number;
  @ApiProperty() registeredOn!: string;
  @ApiProperty({ description: 'Số người tiếp cận trong 4 tuần gần nhất' }) lastFourWeeks!: number;
}

export class DrilldownMaterialDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() level!: number;
  @ApiProperty() kind!: string;
  @ApiProperty() url!: string;
  @ApiProperty() publishedOn!: string;
}

export class DrilldownReportDto {
  @ApiProperty() id!: string;
  @ApiProperty() period!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ nullable: true, type: String }) organisationName!: string | null;
  @ApiProperty() value!: number;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
}

export class DrilldownContestEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() contestId!: string;
  @ApiProperty() contestName!: string;
  @ApiProperty({ enum: ['person', 'trainer', 'class', 'organisation'] }) kind!: string;
  @ApiProperty({ description: 'Người, giảng viên, lớp hoặc cơ quan dự thi' }) name!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty({ nullable: true, type: Number }) total!: number | null;
  @ApiProperty({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty() winner!: boolean;
}

const DRILLDOWN_ROWS = [
  DrilldownPersonDto,
  DrilldownClassDto,
  DrilldownCertificateDto,
  DrilldownTrainerDto,
  DrilldownMaterialDto,
  DrilldownReportDto,
  DrilldownContestEntryDto,
];

/** The records behind a figure: `kind` says which of the row shapes `items` holds. */
@ApiExtraModels(...DRILLDOWN_ROWS)
export class DrilldownPageDto {
  @ApiProperty({ enum: DRILLDOWN_KINDS }) kind!: DrilldownKind;
  @ApiProperty({
    type: 'array',
    items: { oneOf: DRILLDOWN_ROWS.map((row) => ({ $ref: getSchemaPath(row) })) },
  })
  items!: object[];
  @ApiProperty({ description: 'Bằng đúng số liệu được mở' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
