import { ApiProperty } from '@nestjs/swagger';
import type { JobStatus } from './job.entity';

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
