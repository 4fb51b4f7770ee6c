import { ApiProperty } from '@nestjs/swagger';
import { UNIT_LEVELS, UnitLevel } from '../../hierarchy/src';
import { KPI_VIEWS, KpiView } from './kpi-view';

/** A program's running totals at a unit in one view (all months, from the facts the dashboard reads). */
export class PreviewKpiDto {
  @ApiProperty() programId!: string;
  @ApiProperty() programName!: string;
  @ApiProperty({ enum: KPI_VIEWS }) view!: KpiView;
  @ApiProperty({ description: 'Người học được tiếp cận (không trùng người)' }) learnersReached!: number;
  @ApiProperty() completions!: number;
  @ApiProperty() proficientLearners!: number;
  @ApiProperty() classesHeld!: number;
  @ApiProperty() certificatesIssued!: number;
}

/** A unit's figures at one side of the change. */
export class PreviewStateDto {
  @ApiProperty({ description: 'Đơn vị còn hiệu lực sau ngày hiệu lực của thay đổi' }) current!: boolean;
  @ApiProperty({ nullable: true, type: String }) parentCode!: string | null;
  @ApiProperty({ description: 'Người trong danh sách có nơi cư trú thuộc đơn vị (theo bản đồ hiện nay)' })
  people!: number;
  @ApiProperty({ description: 'Lớp học (trừ lớp đã hủy) mở tại đơn vị (theo bản đồ hiện nay)' })
  classes!: number;
  @ApiProperty({
    description: 'Giảng viên đang hoạt động có đơn vị công tác thuộc đơn vị (theo bản đồ hiện nay)',
  })
  trainers!: number;
  @ApiProperty({ type: [PreviewKpiDto] }) kpi!: PreviewKpiDto[];
}

export class PreviewUnitDto {
  @ApiProperty() code!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: UNIT_LEVELS }) level!: UnitLevel;
  @ApiProperty({ description: 'Đơn vị được nêu trong thay đổi (không phải đơn vị cấp trên của chúng)' })
  named!: boolean;
  @ApiProperty({ type: PreviewStateDto, nullable: true, description: 'Không có: đơn vị mới' })
  before!: PreviewStateDto | null;
  @ApiProperty({ type: PreviewStateDto }) after!: PreviewStateDto;
}

export class ReorgPreviewDto {
  @ApiProperty({ enum: ['merge', 'split', 'reparent'] }) kind!: 'merge' | 'split' | 'reparent';
  @ApiProperty({ format: 'date' }) effectiveDate!: string;
  @ApiProperty({
    type: [PreviewUnitDto],
    description: 'Các đơn vị được nêu, rồi các đơn vị cấp trên của chúng',
  })
  units!: PreviewUnitDto[];
  @ApiProperty({ type: [String] }) notes!: string[];
}
