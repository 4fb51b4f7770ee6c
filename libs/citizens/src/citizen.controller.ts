import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CITIZEN_COOKIE, CITIZEN_PATH, CitizenSession, SessionClosedDto } from '../../auth/src';
import {
  API_PREFIX,
  ApiFileResponse,
  ApiPage,
  APP_CONFIG,
  AppConfig,
  Page,
  PDF_TYPE,
  Public,
  sendFile,
} from '../../platform/src';
import {
  CertificateIdParam,
  CitizenMeDto,
  ClassIdParam,
  FindClassesQueryDto,
  PublicClassDto,
  RegisteredDto,
  RegistrationDto,
} from './citizen.dto';
import { CitizenService } from './citizen.service';

/**
 * The citizens' page's API. Finding and registering are open to anyone; the rest needs the citizen's own
 * sign-in with VNeID (a sealed cookie sent only to /api/v1/citizen) and shows only that person's records.
 */
@ApiTags('citizens')
@Public()
@Controller(API_PREFIX)
export class CitizenController {
  constructor(
    private readonly citizens: CitizenService,
    private readonly session: CitizenSession,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('public/classes')
  @ApiPage(PublicClassDto)
  @ApiOperation({
    summary: 'Lớp học sắp diễn ra ở một xã, phường (tìm không dấu được; không có dữ liệu cá nhân)',
  })
  findClasses(@Query() query: FindClassesQueryDto): Promise<Page<PublicClassDto>> {
    return this.citizens.findClasses(query);
  }

  @Post('public/classes/:id/registrations')
  @ApiCreatedResponse({ type: RegisteredDto })
  @ApiOperation({
    summary:
      'Đăng ký học (họ tên, năm sinh, số điện thoại; trùng số điện thoại và năm sinh là cùng một người)',
  })
  register(@Param() { id }: ClassIdParam, @Body() dto: RegistrationDto): Promise<RegisteredDto> {
    return this.citizens.register(id, dto);
  }

  @Get('citizen/me')
  @ApiOkResponse({ type: CitizenMeDto })
  @ApiOperation({ summary: 'Lớp học, điểm danh và giấy chứng nhận của chính mình (đăng nhập VNeID)' })
  me(@Req() req: Request): Promise<CitizenMeDto> {
    return this.citizens.me(this.session.require(req));
  }

  @Post('citizen/classes/:id/registrations')
  @ApiCreatedResponse({ type: RegisteredDto })
  @ApiOperation({ summary: 'Đăng ký học bằng danh tính VNeID' })
  registerSignedIn(@Param() { id }: ClassIdParam, @Req() req: Request): Promise<RegisteredDto> {
    return this.citizens.registerSignedIn(id, this.session.require(req));
  }

  @Get('citizen/certificates/:id/pdf')
  @ApiFileResponse('Giấy chứng nhận của chính mình (PDF)', PDF_TYPE)
  async pdf(@Param() { id }: CertificateIdParam, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { body, fileName } = await this.citizens.certificatePdf(this.session.require(req), id);
    sendFile(res, body, fileName, PDF_TYPE);
  }

  @Delete('citizen/session')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionClosedDto })
  @ApiOperation({ summary: 'Đăng xuất (và địa chỉ kết thúc phiên ở VNeID)' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionClosedDto> {
    const identity = this.session.read(req);
    res.clearCookie(CITIZEN_COOKIE, {
      path: CITIZEN_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
    });
    return { endSessionUrl: identity ? await this.citizens.endSessionUrl(identity) : null };
  }
}
