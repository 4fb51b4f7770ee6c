import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../platform/src';
import { KPI_VIEWS, KpiView } from './kpi-sql';
import { PERIOD_PATTERN } from './period';
import { PERIOD_MESSAGE, UNIT_CODE, UNIT_CODE_MESSAGE } from './target.dto';

export class KpiQueryDto {
  @ApiProperty({ example: '19', description: 'Mã đơn vị hành chính' })
  @Matches(UNIT_CODE, { message: UNIT_CODE_MESSAGE })
  unit!: string;

  @ApiProperty({ example: '2026', description: 'Năm (2026), quý (2026-Q2) hoặc tháng (2026-05)' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
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

  @ApiProperty({ example: '2026' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
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

  @ApiProperty({ example: '2026' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
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
  @ApiProperty() base!: number;
  @ApiProperty({ description: 'Phần trăm' }) percent!: number;
}

export class IndicatorFigureDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'người' }) unitOfMeasure!: string;
  @ApiProperty({ enum: ['records', 'reports', 'program'] }) source!: string;
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '% chỉ tiêu' }) percentOfTarget!: number | null;
  @ApiProperty({ nullable: true, type: ShareDto }) share!: ShareDto | null;
  @ApiProperty({ type: [TrendPointDto] }) trend!: TrendPointDto[];
}

export class ChildFigureDto {
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
}

export class ChildFiguresDto {
  @ApiProperty({ type: Object }) unit!: { code: string; fullName: string; current: boolean };
  @ApiProperty({ type: Object, description: 'Theo mã chỉ tiêu' }) indicators!: Record<string, ChildFigureDto>;
}

export class SegmentFiguresDto {
  @ApiProperty() segment!: string;
  @ApiProperty() name!: string;
  @ApiProperty() reached!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() proficient!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Chỉ tiêu người học của đối tượng' })
  target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
}

export class KpiDto {
  @ApiProperty({ type: Object }) program!: { id: string; code: string; name: string };
  @ApiProperty({ type: Object }) unit!: { code: string; fullName: string; level: string };
  @ApiProperty({ type: Object }) period!: { code: string; label: string; from: string; to: string };
  @ApiProperty({ enum: KPI_VIEWS }) view!: KpiView;
  @ApiProperty({ description: 'Ngày tính số liệu (giờ Việt Nam)' }) asOf!: string;
  @ApiProperty({ type: [IndicatorFigureDto] }) indicators!: IndicatorFigureDto[];
  @ApiProperty({ type: [ChildFiguresDto] }) byChild!: ChildFiguresDto[];
  @ApiProperty({ type: [SegmentFiguresDto] }) bySegment!: SegmentFiguresDto[];
  @ApiProperty({ type: [String] }) notes!: string[];
}

export class LeaderboardRowDto {
  @ApiProperty() rank!: number;
  @ApiProperty({ type: Object }) unit!: { code: string; fullName: string };
  @ApiProperty() actual!: number;
  @ApiProperty({ nullable: true, type: Number }) target!: number | null;
  @ApiProperty({ nullable: true, type: Number }) percentOfTarget!: number | null;
}
