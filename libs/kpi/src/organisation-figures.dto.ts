import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { UnitRefDto } from '../../hierarchy/src';
import { ReportPeriodField } from './period';
import { RecordFiguresDto, REPORT_STATUSES, ReportStatus } from './report.dto';

export class OrganisationFiguresQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

  @ReportPeriodField({ optional: true })
  period?: string;
}

export class LatestReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ nullable: true, type: Number }) headcount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) trained!: number | null;
  @ApiProperty({ nullable: true, type: Number }) proficient!: number | null;
}

export class OrganisationFiguresDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() organisationName!: string;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ format: 'uuid' }) programId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) period!: string | null;
  @ApiProperty({ description: 'Số liệu tính đến hết ngày này (giờ Việt Nam)' }) asOf!: string;
  @ApiProperty({ type: RecordFiguresDto, description: 'Từ hồ sơ người học của cơ quan' })
  figures!: RecordFiguresDto;
  @ApiProperty({
    type: LatestReportDto,
    nullable: true,
    description: 'Báo cáo gần nhất đã được duyệt: số người và số do thủ trưởng báo cáo',
  })
  latestApproved!: LatestReportDto | null;
}
