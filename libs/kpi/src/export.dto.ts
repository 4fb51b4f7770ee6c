import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { KPI_VIEWS, KpiView } from './kpi-view';
import { EXPORT_SHEETS, ExportSheet } from './kpi-workbook';
import { PeriodField } from './period';
import { UNIT_CODE, UNIT_CODE_MESSAGE, UnitAsOfField } from './target.dto';

export const EXPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_DELIVERIES = ['auto', 'job'] as const;
export type ExportDelivery = (typeof EXPORT_DELIVERIES)[number];

export class CreateExportDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId!: string;

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

  @ApiPropertyOptional({
    enum: EXPORT_SHEETS,
    isArray: true,
    description: 'Các trang tính: tổng hợp theo đơn vị, giảng viên, lớp học, người học (mặc định: tất cả)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EXPORT_SHEETS.length)
  @IsIn(EXPORT_SHEETS, { each: true })
  sheets?: ExportSheet[];

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'xlsx',
    description: 'xlsx: sổ tính Excel chính thức; pdf: báo cáo tóm tắt có biểu đồ (như /kpi/pdf)',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'xlsx';

  @ApiPropertyOptional({
    enum: EXPORT_DELIVERIES,
    default: 'auto',
    description: 'auto: tệp nhỏ tải về ngay (200), tệp lớn chạy nền (202); job: luôn chạy nền (202)',
  })
  @IsOptional()
  @IsIn(EXPORT_DELIVERIES)
  delivery: ExportDelivery = 'auto';
}

export class ExportIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
