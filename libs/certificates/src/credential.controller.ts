import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_PREFIX, Public } from '../../platform/src';
import {
  CredentialCheckDto,
  IssuerParam,
  IssuerProfileDto,
  JwksDto,
  StatusListParam,
  VerifyCredentialDto,
} from './certificate.dto';
import { CredentialKeys } from './credential-keys';
import { OpenBadgeService, VC_JWT_TYPE } from './open-badge.service';

/** What anyone needs to check an Open Badges credential of Lan Tỏa: the key, the status lists, the issuers. */
@ApiTags('credentials')
@Public()
@Controller()
export class CredentialController {
  constructor(
    private readonly badges: OpenBadgeService,
    private readonly keys: CredentialKeys,
  ) {}

  @Get('.well-known/jwks.json')
  @ApiOkResponse({ type: JwksDto, description: 'JSON Web Key Set: khóa công khai ký chứng chỉ số' })
  @ApiOperation({
    summary: 'Khóa công khai (JWKS) để tự kiểm tra chữ ký chứng chỉ số, kể cả khi không có mạng',
  })
  async jwks(@Res({ passthrough: true }) res: Response): Promise<JwksDto> {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('application/jwk-set+json');
    return (await this.keys.jwks()) as JwksDto;
  }

  @Get(`${API_PREFIX}/credentials/status/:programId/:year`)
  @ApiProduces(VC_JWT_TYPE)
  @ApiOkResponse({ schema: { type: 'string' }, description: 'BitstringStatusListCredential (VC-JWT)' })
  @ApiOperation({ summary: 'Danh sách thu hồi chứng chỉ số của một chương trình trong một năm (đã ký)' })
  async statusList(@Param() { programId, year }: StatusListParam, @Res() res: Response): Promise<void> {
    const jwt = await this.badges.statusList(programId, year);
    res.setHeader('Cache-Control', 'no-cache');
    res.type(VC_JWT_TYPE).send(jwt);
  }

  @Get(`${API_PREFIX}/credentials/issuers/:unitCode`)
  @ApiOkResponse({ type: IssuerProfileDto, description: 'Hồ sơ đơn vị cấp (Open Badges 3.0 Profile)' })
  @ApiOperation({ summary: 'Hồ sơ đơn vị cấp chứng chỉ số' })
  issuer(@Param() { unitCode }: IssuerParam): Promise<IssuerProfileDto> {
    return this.badges.issuerProfile(unitCode);
  }

  @Post(`${API_PREFIX}/credentials/verify`)
  @HttpCode(200)
  @ApiOkResponse({ type: CredentialCheckDto })
  @ApiOperation({ summary: 'Kiểm tra một chứng chỉ số Open Badges: thật, đã thu hồi, hay bị sửa' })
  verify(@Body() dto: VerifyCredentialDto): Promise<CredentialCheckDto> {
    return this.badges.verify(dto.credential);
  }
}
