import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiFileResponse, ApiPage, Page, PDF_TYPE, Public, sendFile } from '../../platform/src';
import {
  CertificateDto,
  CertificateIdParam,
  ListCertificatesQueryDto,
  ReissueDto,
  RevokeDto,
  VerificationCodeParam,
  VerificationDto,
} from './certificate.dto';
import { CertificatePrintService } from './certificate-print.service';
import { CertificateService } from './certificate.service';
import { OpenBadgeService, VC_JWT_TYPE } from './open-badge.service';

@ApiTags('certificates')
@ApiBearerAuth()
@Roles('admin', 'steering', 'viewer', 'trainer')
@Controller(`${API_PREFIX}/certificates`)
export class CertificateController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly print: CertificatePrintService,
    private readonly badges: OpenBadgeService,
  ) {}

  @Get()
  @ApiPage(CertificateDto)
  @ApiOperation({ summary: 'Giấy chứng nhận trong phạm vi' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCertificatesQueryDto,
  ): Promise<Page<CertificateDto>> {
    return this.certificates.list(principal, query);
  }

  @Public()
  @Get('verify/:code')
  @ApiOkResponse({ type: VerificationDto })
  @ApiOperation({
    summary: 'Xác thực giấy chứng nhận theo mã trên mã QR (công khai, giới hạn số lần tra cứu)',
  })
  verify(@Param() { code }: VerificationCodeParam, @Req() req: Request): Promise<VerificationDto> {
    return this.certificates.verify(code, req.ip ?? null);
  }

  @Get(':id')
  @ApiOkResponse({ type: CertificateDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: CertificateIdParam,
  ): Promise<CertificateDto> {
    return this.certificates.toDto(await this.certificates.get(principal, id));
  }

  @Get(':id/pdf')
  @ApiFileResponse('Giấy chứng nhận (PDF)', PDF_TYPE)
  async pdf(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: CertificateIdParam,
    @Res() res: Response,
  ): Promise<void> {
    const { body, fileName } = await this.print.pdf(principal, id);
    sendFile(res, body, fileName, PDF_TYPE);
  }

  @Get(':id/credential')
  @ApiProduces(VC_JWT_TYPE)
  @ApiOkResponse({ schema: { type: 'string' }, description: 'OpenBadgeCredential (VC-JWT)' })
  @ApiOperation({ summary: 'Chứng chỉ số Open Badges 3.0 của giấy chứng nhận (VC-JWT, ký bởi đơn vị cấp)' })
  async credential(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: CertificateIdParam,
    @Res() res: Response,
  ): Promise<void> {
    await this.certificates.get(principal, id);
    const { jwt, serial } = await this.badges.issue({ id });
    sendFile(res, Buffer.from(jwt), `chung-chi-so-${serial}.jwt`, VC_JWT_TYPE);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin', 'steering')
  @ApiOkResponse({ type: CertificateDto })
  @ApiOperation({ summary: 'Thu hồi (giấy chứng nhận vẫn tra cứu được, với ngày và lý do thu hồi)' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: CertificateIdParam,
    @Body() dto: RevokeDto,
  ): Promise<CertificateDto> {
    return this.certificates.revoke(principal, id, dto.reason);
  }

  @Post(':id/reissue')
  @Roles('admin', 'steering')
  @ApiCreatedResponse({ type: CertificateDto, description: 'Giấy mới' })
  @ApiOperation({ summary: 'Cấp lại: giấy mới (số hiệu mới), giấy cũ thu hồi và trỏ tới giấy mới' })
  reissue(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: CertificateIdParam,
    @Body() dto: ReissueDto,
  ): Promise<CertificateDto> {
    return this.certificates.reissue(principal, id, dto.reason);
  }
}
