import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '../../access/src';
import { API_PREFIX, ApiFileResponse } from '../../platform/src';
import {
  CertificateSignerDto,
  SaveCertificateSignerDto,
  SignerProgramParam,
  SignerUnitParam,
} from './certificate-signer.dto';
import { CertificateSignerService } from './certificate-signer.service';

@ApiTags('certificates')
@ApiBearerAuth()
@Roles('admin', 'steering')
@Controller(`${API_PREFIX}/programs/:id/certificate-signers`)
export class CertificateSignerController {
  constructor(private readonly signers: CertificateSignerService) {}

  @Get()
  @ApiOkResponse({ type: [CertificateSignerDto] })
  @ApiOperation({ summary: 'Người ký và con dấu trên giấy chứng nhận, theo đơn vị cấp (trong phạm vi)' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: SignerProgramParam,
  ): Promise<CertificateSignerDto[]> {
    return this.signers.list(principal, id);
  }

  @Put(':unitCode')
  @ApiOkResponse({ type: CertificateSignerDto })
  @ApiOperation({
    summary:
      'Đặt người ký (chức vụ, họ tên), tên cơ quan cấp và ảnh con dấu cho giấy chứng nhận của một đơn vị; giấy cấp từ nay dùng các thông tin này',
  })
  save(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, unitCode }: SignerUnitParam,
    @Body() dto: SaveCertificateSignerDto,
  ): Promise<CertificateSignerDto> {
    return this.signers.save(principal, id, unitCode, dto);
  }

  @Get(':unitCode/seal')
  @ApiFileResponse('Ảnh con dấu của đơn vị', 'image/png', 'image/jpeg')
  async seal(
    @CurrentPrincipal() principal: Principal,
    @Param() { id, unitCode }: SignerUnitParam,
    @Res() res: Response,
  ): Promise<void> {
    const { mime, image } = await this.signers.seal(principal, id, unitCode);
    res.setHeader('Content-Type', mime);
    res.setHeader('Content-Length', String(image.length));
    res.end(image);
  }
}
