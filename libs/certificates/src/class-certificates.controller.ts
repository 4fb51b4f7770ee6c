import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
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
import { IsUUID } from 'class-validator';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { JobDto } from '../../jobs/src';
import { API_PREFIX, PDF_TYPE, sendFile } from '../../platform/src';
import { CertificateDto, IssueCertificatesDto } from './certificate.dto';
import { CertificatePrintService } from './certificate-print.service';
import { CertificateService } from './certificate.service';

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
    private readonly print: CertificatePrintService,
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
    const batch = await this.print.classBatchOrJob(principal, id);
    if ('pdf' in batch) {
      sendFile(res, batch.pdf, `giay-chung-nhan-lop-${id.slice(0, 8)}.pdf`, PDF_TYPE);
      return;
    }
    res.status(202).json(batch.job);
  }
}
