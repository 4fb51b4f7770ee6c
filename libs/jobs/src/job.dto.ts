import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../platform/src';
import type { JobStatus } from './job.entity';

const JOB_KIND = /^[a-z][a-z.-]{0,39}$/;
const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed'];

/** A background job as its creator follows it. */
export class JobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'certificates.class-batch', description: 'Loại tác vụ' }) kind!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ description: 'Số phần việc đã xong' }) progress!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Tổng số phần việc (null: chưa biết)' })
  total!: number | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Kết quả của tác vụ đã xong (tùy loại tác vụ)',
  })
  result!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String, description: 'Lý do thất bại' }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Địa chỉ tải tệp kết quả, khi tác vụ đã xong' })
  downloadUrl!: string | null;
}

export class ListJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: 'phải là queued, running, succeeded hoặc failed' })
  status?: JobStatus;

  @ApiPropertyOptional({ example: 'kpi.export', pattern: JOB_KIND.source, description: 'Loại tác vụ' })
  @IsOptional()
  @Matches(JOB_KIND, { message: 'phải là mã loại tác vụ (chữ thường, dấu chấm, gạch ngang)' })
  kind?: string;
}

/** A job in the list: who queued it (null: the system). */
export class JobListItemDto extends JobDto {
  @ApiProperty({ nullable: true, type: String, description: 'Người tạo (null: hệ thống)' })
  createdByName!: string | null;
}
