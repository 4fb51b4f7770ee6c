import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowPendingPasswordChange, CurrentPrincipal, Principal } from '../../access/src';
import { API_PREFIX, APP_CONFIG, AppConfig, Public } from '../../platform/src';
import {
  AccessTokenDto,
  ChangePasswordDto,
  LoginDto,
  RefreshDto,
  RenewedSessionDto,
  TokenPairDto,
} from './auth.dto';
import { AuthService, TokenPair } from './auth.service';
import { SessionClosedDto } from './identity.dto';
import { OidcService } from './oidc.service';
import { UserDto } from './user.dto';
import { UserService } from './user.service';
import { KnownDevices } from './known-device';
import { CSRF_HEADER, WebSession } from './web-session';

@ApiTags('auth')
@Controller(`${API_PREFIX}/auth`)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserService,
    private readonly web: WebSession,
    private readonly devices: KnownDevices,
    private readonly oidc: OidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiOperation({ summary: 'Đăng nhập bằng email hoặc số điện thoại và mật khẩu' })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair> {
    const { pair, device } = await this.auth.login(dto.login, dto.password, {
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      device: this.devices.read(req),
    });
    this.devices.remember(res, device);
    return pair;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiOperation({
    summary: 'Đổi mã làm mới lấy cặp mã mới (mã cũ hết hiệu lực; dùng lại mã cũ thu hồi cả phiên)',
  })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Public()
  @Post('session')
  @HttpCode(200)
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiOperation({
    summary:
      'Đăng nhập cho ứng dụng web: mã truy cập trong câu trả lời, mã làm mới trong cookie HttpOnly (không đọc được từ JavaScript)',
  })
  async openSession(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccessTokenDto> {
    const pair = await this.login(dto, req, res);
    this.web.set(res, pair.refreshToken);
    return { accessToken: pair.accessToken, expiresIn: pair.expiresIn, tokenType: pair.tokenType };
  }

  @Public()
  @Post('session/refresh')
  @HttpCode(200)
  @ApiHeader({ name: CSRF_HEADER, required: true, description: 'Giá trị của cookie lantoa_csrf' })
  @ApiOkResponse({ type: RenewedSessionDto })
  @ApiOperation({
    summary:
      'Gia hạn phiên của ứng dụng web bằng cookie (mã làm mới đổi mỗi lần); kèm tài khoản đang đăng nhập',
  })
  async refreshSession(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RenewedSessionDto> {
    let renewed: Awaited<ReturnType<AuthService['renew']>>;
    try {
      renewed = await this.auth.renew(this.web.refreshToken(req));
    } catch (error) {
      // A session that cannot be renewed is over: the browser forgets its cookies.
      this.web.clear(res);
      throw error;
    }
    const { pair, userId } = renewed;
    this.web.set(res, pair.refreshToken);
    const user = await this.users.account(userId);
    return { accessToken: pair.accessToken, expiresIn: pair.expiresIn, tokenType: pair.tokenType, user };
  }

  @Public()
  @Delete('session')
  @HttpCode(200)
  @ApiHeader({ name: CSRF_HEADER, required: true, description: 'Giá trị của cookie lantoa_csrf' })
  @ApiOkResponse({ type: SessionClosedDto })
  @ApiOperation({
    summary:
      'Đăng xuất khỏi ứng dụng web (kết thúc phiên, xóa cookie); phiên mở bằng VNeID… trả về địa chỉ kết thúc phiên ở nhà cung cấp',
  })
  async closeSession(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionClosedDto> {
    const token = this.web.refreshToken(req);
    const oidc = await this.auth.logoutByRefreshToken(token);
    this.web.clear(res);
    const endSessionUrl = oidc
      ? await this.oidc.endSessionUrl(oidc.provider, oidc.idToken, `${this.config.publicUrl}/dang-nhap`)
      : null;
    return { endSessionUrl };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'Kết thúc phiên đăng nhập hiện tại' })
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.me(principal);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'Đổi mật khẩu của chính mình (các phiên khác kết thúc)' })
  changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(principal, dto.currentPassword, dto.newPassword);
  }
}
