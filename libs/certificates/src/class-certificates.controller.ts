import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { JobDto, JobService, toJobDto } from '../../jobs/src';
import { API_PREFIX, APP_CONFIG, AppConfig, PDF_TYPE, sendFile } from '../../platform/src';
import { CertificateDto, IssueCertificatesDto } from './certificate.dto';
import { CertificateService } from './certificate.service';
import { CLASS_BATCH_JOB } from './certificate-batch.job';

class ClassIdParam {
  @ApiProperty({ format: 'uuid', description: 'Mã lớp học' })
  @IsUUID()
  id!: string;
}

@ApiTags('certificates')
@ApiBearerAuth()
@Controller(`${API_PREFIX}/classes/:id/certificates`)
export class ClassCertificatesController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly jobs: JobService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('admin', 'steering', 'trainer')
  @ApiCreatedResponse({ type: [CertificateDto], description: 'Các giấy vừa cấp' })
  @ApiOperation({
    summary: 'Cấp giấy chứng nhận cho học viên đã hoàn thành (mỗi người một giấy cho mỗi cấp độ)',
  })
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Body() dto: IssueCertificatesDto,
  ): Promise<CertificateDto[]> {
    return this.certificates.issueForClass(principal, id, dto);
  }

  @Post('pdf')
  @HttpCode(200)
  @Roles('admin', 'steering', 'viewer', 'trainer')
  @ApiProduces(PDF_TYPE)
  @ApiExtraModels(JobDto)
  @ApiOkResponse({
    description: 'Tệp PDF của cả lớp (lớp nhỏ)',
    content: { [PDF_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiAcceptedResponse({
    description: 'Tác vụ nền in chứng nhận (lớp lớn)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(JobDto) } } },
  })
  @ApiOperation({
    summary:
      'In cả lớp thành một tệp PDF nhiều trang; lớp lớn thành tác vụ nền (202, theo dõi ở /api/v1/jobs/{id})',
  })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: ClassIdParam,
    @Res() res: Response,
  ): Promise<void> {
    const count = await this.certificates.classBatchSize(principal, id);
    if (count <= this.config.certificateSyncLimit) {
      sendFile(
        res,
        await this.certificates.classBatch(principal, id),
        `giay-chung-nhan-lop-${id.slice(0, 8)}.pdf`,
        PDF_TYPE,
      );
      return;
    }
    const jobId = await this.dataSource.transaction((m) =>
      this.jobs.enqueue(m, CLASS_BATCH_JOB, { classId: id }, principal, count),
    );
    res.status(202).json(toJobDto(await this.jobs.get(principal, jobId)));
  }
}
