import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { KpiProgramDto, KpiUnitDto, TargetBasisDto } from './kpi.dto';
import { KPI_VIEWS, KpiView } from './kpi-view';
import { PERIOD_KINDS, PeriodKind } from './period';
import { TARGET_KINDS, UNIT_CODE, UNIT_CODE_MESSAGE, UnitAsOfField } from './target.dto';

export class PlanQueryDto {
  @ApiProperty({ example: '19', description: 'Mã đơn vị' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @UnitAsOfField()
  unitAsOf?: string;

  @ApiPropertyOptional({ enum: KPI_VIEWS, default: 'recorded' })
  @IsOptional()
  @IsIn(KPI_VIEWS)
  view: KpiView = 'recorded';
}

export const PLAN_STATUSES = [
  'achieved',
  'on_track',
  'behind',
  'in_progress',
  'upcoming',
  'missed',
  'no_target',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export class PlanPeriodDto {
  @ApiProperty({ example: '..2030' }) code!: string;
  @ApiProperty({ example: 'lũy kế đến hết năm 2030' }) label!: string;
  @ApiProperty({ example: '2025-01-01', description: 'Ngày đầu kỳ' }) from!: string;
  @ApiProperty({ example: '2031-01-01', description: 'Ngày sau ngày cuối kỳ' }) to!: string;
  @ApiProperty({ enum: PERIOD_KINDS }) kind!: PeriodKind;
}

export class PlanPaceDto {
  @ApiProperty({ description: 'Còn thiếu so với chỉ tiêu' }) remaining!: number;
  @ApiProperty({ description: 'Số ngày còn lại đến hết kỳ (kể cả hôm nay; kỳ chưa bắt đầu: cả kỳ)' })
  daysLeft!: number;
  @ApiProperty({ description: 'Cần đạt mỗi tuần từ nay đến hết kỳ' }) neededPerWeek!: number;
  @ApiProperty({ description: 'Tốc độ 4 tuần gần nhất, mỗi tuần' }) recentPerWeek!: number;
}

export class PlanLineDto {
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty() indicator!: string;
  @ApiProperty() indicatorName!: string;
  @ApiProperty({ example: 'người' }) unitOfMeasure!: string;
  @ApiProperty({ nullable: true, type: String }) segment!: string | null;
  @ApiProperty({ nullable: true, type: String }) segmentName!: string | null;
  @ApiProperty({ type: PlanPeriodDto }) period!: PlanPeriodDto;
  @ApiProperty({ enum: TARGET_KINDS }) kind!: string;
  @ApiProperty({ description: 'Giá trị giao: số, hoặc tỷ lệ %' }) value!: number;
  @ApiProperty({ nullable: true, type: TargetBasisDto }) targetBasis!: TargetBasisDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Chỉ tiêu quy ra số' }) target!: number | null;
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
  @ApiProperty({
    enum: PLAN_STATUSES,
    description:
      'achieved: đã đạt; on_track / behind: đang thực hiện, theo tốc độ 4 tuần gần nhất thì kịp / không kịp; ' +
      'in_progress: đang thực hiện (chỉ tiêu tỷ lệ, số liệu báo cáo); upcoming: chưa đến kỳ; missed: hết kỳ ' +
      'chưa đạt; no_target: chưa quy ra số được (thiếu số liệu dân số)',
  })
  status!: PlanStatus;
  @ApiProperty({ nullable: true, type: PlanPaceDto }) pace!: PlanPaceDto | null;
}

export class PlanDto {
  @ApiProperty({ type: KpiProgramDto }) program!: KpiProgramDto;
  @ApiProperty({ type: KpiUnitDto }) unit!: KpiUnitDto;
  @ApiProperty({ enum: KPI_VIEWS }) view!: KpiView;
  @ApiProperty({ description: 'Ngày tính (giờ Việt Nam)' }) asOf!: string;
  @ApiProperty({ example: 28 }) paceWindowDays!: number;
  @ApiProperty({ type: [PlanLineDto] }) lines!: PlanLineDto[];
}
