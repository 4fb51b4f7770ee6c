import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { API_PREFIX, APP_CONFIG, AppConfig, Public } from '../../platform/src';
import { AuthService } from './auth.service';
import {
  CITIZEN_COOKIE,
  CITIZEN_PATH,
  CITIZEN_SESSION,
  CITIZEN_TTL,
  CitizenIdentity,
} from './citizen-session';
import { IdentityService } from './identity.service';
import { OidcProviderDto, OidcStartQueryDto } from './identity.dto';
import { OidcFlow, OidcLoginError, OidcService } from './oidc.service';
import { SealedCookie } from './sealed-cookie';
import { readCookie, WebSession } from './web-session';

/** The flow between leaving for the provider and coming back. SameSite=Lax: the way back is a cross-site GET. */
const FLOW_COOKIE = 'lantoa_oidc';
const FLOW_PATH = `/${API_PREFIX}/auth/oidc`;
const FLOW_TTL = 600;

/** Only paths of this app are followed after signing in (never another site's address). */
function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/(?![/\\])/.test(next) && !next.includes('\\') ? next : fallback;
}

@ApiTags('auth')
@Public()
@Controller(`${API_PREFIX}/auth/oidc`)
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly identities: IdentityService,
    private readonly auth: AuthService,
    private readonly web: WebSession,
    private readonly sealed: SealedCookie,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('providers')
  @ApiOkResponse({ type: [OidcProviderDto] })
  @ApiOperation({ summary: 'Các nhà cung cấp đăng nhập (VNeID…) đã cấu hình' })
  providers(): OidcProviderDto[] {
    return this.oidc.providers();
  }

  /** A browser navigation (302 to the provider), not an API call: left out of the OpenAPI document. */
  @Get(':provider/start')
  @ApiExcludeEndpoint()
  async start(
    @Param('provider') provider: string,
    @Query() query: OidcStartQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const purpose = query.purpose ?? 'staff';
    const next = safeNext(query.next, purpose === 'staff' ? '/' : '/hoc-vien');
    const { url, flow } = await this.oidc.start(provider, purpose, next);
    res.cookie(FLOW_COOKIE, this.sealed.seal('oidc-flow', flow, FLOW_TTL), this.flowCookie(FLOW_TTL * 1000));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  /** Where the provider sends the browser back (302 into the app, or to its sign-in page with ?loi=CODE). */
  @Get(':provider/callback')
  @ApiExcludeEndpoint()
  async callback(
    @Param('provider') provider: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.oidc.provider(provider);
    const flow = this.sealed.open<OidcFlow>('oidc-flow', readCookie(req, FLOW_COOKIE));
    // The flow is good for one return only.
    res.clearCookie(FLOW_COOKIE, this.flowCookie());
    res.setHeader('Cache-Control', 'no-store');
    const purpose = flow?.purpose ?? 'staff';
    const failurePage = purpose === 'staff' ? '/dang-nhap' : '/hoc-vien';
    try {
      if (flow && flow.provider !== provider)
        throw new OidcLoginError('OIDC_STATE_MISMATCH', 'other provider');
      const identity = await this.oidc.finish(flow, this.callbackUrl(provider, req));
      if (purpose === 'citizen') {
        const citizen: CitizenIdentity = {
          provider: identity.provider,
          subject: identity.subject,
          nationalId: identity.nationalId,
          name: identity.name,
          idToken: identity.idToken,
        };
        res.cookie(CITIZEN_COOKIE, this.sealed.seal(CITIZEN_SESSION, citizen, CITIZEN_TTL), {
          path: CITIZEN_PATH,
          httpOnly: true,
          sameSite: 'strict',
          secure: this.config.cookieSecure,
          maxAge: CITIZEN_TTL * 1000,
        });
      } else {
        const userId = await this.identities.staffAccount(identity);
        const pair = await this.auth.openOidcSession(userId, identity.provider, identity.idToken, {
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
        });
        this.web.set(res, pair.refreshToken);
      }
      res.redirect(302, flow!.next);
    } catch (error) {
      if (!(error instanceof OidcLoginError)) throw error;
      await this.identities.refused(provider, error);
      res.redirect(302, `${failurePage}?loi=${error.code}`);
    }
  }

  /** The URL the provider sent the browser to, rebuilt on the configured public address. */
  private callbackUrl(provider: string, req: Request): URL {
    const url = new URL(this.oidc.redirectUri(this.oidc.provider(provider)));
    const query = req.originalUrl.indexOf('?');
    url.search = query >= 0 ? req.originalUrl.slice(query) : '';
    return url;
  }

  private flowCookie(maxAge?: number): CookieOptions {
    return {
      path: FLOW_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      ...(maxAge ? { maxAge } : {}),
    };
  }
}
