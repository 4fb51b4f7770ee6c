import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, escapeHtml, Public, publicPage, vnDateTime } from '../../platform/src';
import { CheckinContext, CheckinService } from './checkin.service';

function sessionCard(context: Pick<CheckinContext, 'class' | 'session'>): string {
  return `<div class="card"><dl>
    <dt>Lớp học</dt><dd>${escapeHtml(context.class.title)}</dd>
    <dt>Buổi</dt><dd>Buổi ${context.session.position} · ${escapeHtml(vnDateTime(context.session.startsAt))}</dd>
    <dt>Địa điểm</dt><dd>${escapeHtml(context.class.venueAddress ?? context.class.unitName)}</dd>
  </dl></div>`;
}

function form(token: string, values: { identifier?: string; birthYear?: string } = {}): string {
  return `<form method="post" action="/checkin/${escapeHtml(token)}" novalidate>
    <label for="identifier">Số điện thoại hoặc số CCCD</label>
    <input id="identifier" name="identifier" inputmode="numeric" autocomplete="tel" required
           aria-describedby="identifier-hint" value="${escapeHtml(values.identifier ?? '')}">
    <p class="hint" id="identifier-hint">Số đã khai khi đăng ký lớp, ví dụ 0912 345 678.</p>
    <label for="birthYear">Năm sinh</label>
    <input id="birthYear" name="birthYear" inputmode="numeric" maxlength="4" required placeholder="Ví dụ: 1985"
           value="${escapeHtml(values.birthYear ?? '')}">
    <button type="submit">Điểm danh</button>
  </form>`;
}

function problem(error: DomainError): string {
  return `<div class="card error" role="alert"><h2>Chưa điểm danh được</h2><p>${escapeHtml(error.message)}</p></div>`;
}

/**
 * The public check-in page a learner reaches by scanning the trainer's QR code. Plain HTML forms: it works
 * on any phone browser, with or without JavaScript. Errors are pages too, with the right status code.
 */
@ApiExcludeController()
@Public()
@Controller('checkin')
export class CheckinController {
  constructor(private readonly checkin: CheckinService) {}

  @Get(':token')
  async page(@Param('token') token: string, @Res() res: Response): Promise<void> {
    try {
      const context = await this.checkin.resolve(token);
      this.send(res, 200, sessionCard(context) + form(token));
    } catch (error) {
      this.fail(res, error);
    }
  }

  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Body() body: { identifier?: unknown; birthYear?: unknown },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const identifier = typeof body.identifier === 'string' ? body.identifier.slice(0, 40) : '';
    const birthYear =
      typeof body.birthYear === 'string' || typeof body.birthYear === 'number'
        ? String(body.birthYear).trim()
        : '';
    try {
      const done = await this.checkin.checkIn(
        token,
        identifier,
        /^\d{4}$/.test(birthYear) ? Number(birthYear) : NaN,
        req.ip ?? null,
      );
      this.send(
        res,
        200,
        `<div class="card ok" role="status" aria-live="polite"><h2>Đã điểm danh</h2>
           <p><strong>${escapeHtml(done.fullName)}</strong> — ${done.status === 'late' ? 'có mặt (đến muộn)' : 'có mặt'}</p>
           <p>Buổi ${done.position}, ${escapeHtml(done.classTitle)}</p></div>
         <p>Chúc bạn học vui!</p>`,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Show the form again only when another try with this code can succeed.
      const retry = ['VALIDATION_FAILED', 'CHECKIN_NOT_ENROLLED'].includes(error.code);
      let context: CheckinContext | null = null;
      if (retry) context = await this.checkin.resolve(token).catch(() => null);
      this.send(
        res,
        error.status,
        problem(error) + (context ? sessionCard(context) + form(token, { identifier, birthYear }) : ''),
        error.headers,
      );
    }
  }

  private fail(res: Response, error: unknown): void {
    if (!(error instanceof DomainError)) throw error;
    this.send(res, error.status, problem(error), error.headers);
  }

  private send(res: Response, status: number, body: string, headers: Record<string, string> = {}): void {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(publicPage('Điểm danh buổi học', body));
  }
}
