import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, escapeHtml, formatDate, Public, publicPage, sendFile } from '../../platform/src';
import { CertificateService } from './certificate.service';
import { OpenBadgeService, VC_JWT_TYPE } from './open-badge.service';

const CREDENTIAL_FORM = `
  <form method="post" action="/verify">
    <label for="credential">Chứng chỉ số (Open Badges, dạng VC-JWT)</label>
    <textarea id="credential" name="credential" required spellcheck="false" autocomplete="off"
      aria-describedby="credential-hint"></textarea>
    <p class="hint" id="credential-hint">Dán nội dung tệp chứng chỉ số (.jwt) tải từ Lan Tỏa. Trang sẽ cho biết chứng chỉ là thật, đã bị thu hồi hay đã bị sửa.</p>
    <button type="submit">Kiểm tra chứng chỉ số</button>
  </form>`;

const VERDICTS = {
  genuine: ['ok', 'Chứng chỉ số hợp lệ', 'Đúng chữ ký của đơn vị cấp, không bị sửa và còn hiệu lực.'],
  revoked: [
    'error',
    'Chứng chỉ số đã bị thu hồi',
    'Chữ ký đúng nhưng đơn vị cấp đã thu hồi giấy chứng nhận này.',
  ],
  altered: [
    'error',
    'Chứng chỉ số không hợp lệ',
    'Nội dung đã bị sửa hoặc không do đơn vị cấp của Lan Tỏa ký. Không được tin các thông tin trong đó.',
  ],
  unreadable: [
    'error',
    'Không đọc được chứng chỉ số',
    'Nội dung dán vào không phải một chứng chỉ số dạng VC-JWT.',
  ],
} as const;

/** The page the QR code on a certificate opens: what was issued, and whether it still stands. No login. */
@ApiExcludeController()
@Public()
@Controller('verify')
export class VerifyController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly badges: OpenBadgeService,
  ) {}

  /** A form to check a digital credential someone presents (the file, pasted). */
  @Get()
  form(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('html').send(publicPage('Kiểm tra chứng chỉ số', CREDENTIAL_FORM));
  }

  @Post()
  @HttpCode(200)
  async check(@Body() body: { credential?: unknown }, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    const presented = typeof body?.credential === 'string' ? body.credential : '';
    const check = await this.badges.verify(presented);
    const [tone, title, text] = VERDICTS[check.result];
    const trusted = check.result === 'genuine' || check.result === 'revoked';
    const c = check.credential as {
      name?: unknown;
      validFrom?: unknown;
      issuer?: { name?: unknown };
      credentialSubject?: { identifier?: { identityHash?: unknown }[] };
    } | null;
    const row = (label: string, value: unknown) =>
      typeof value === 'string' ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : '';
    const details =
      trusted && c
        ? `<div class="card"><dl>
            ${row('Chứng chỉ', c.name)}
            ${row('Người được cấp', c.credentialSubject?.identifier?.[0]?.identityHash)}
            ${row('Đơn vị cấp', c.issuer?.name)}
            ${row('Ngày cấp', typeof c.validFrom === 'string' ? formatDate(c.validFrom.slice(0, 10)) : null)}
          </dl></div>`
        : '';
    res
      .status(200)
      .type('html')
      .send(
        publicPage(
          'Kiểm tra chứng chỉ số',
          `<div class="card ${tone}" role="status"><h2>${title}</h2><p>${text}</p></div>${details}${CREDENTIAL_FORM}`,
        ),
      );
  }

  /** The certificate as an Open Badges 3.0 credential, for the holder's wallet (same code as the QR). */
  @Get(':code/credential')
  async credential(@Param('code') code: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    await this.certificates.verify(code, req.ip ?? null);
    const { jwt, serial } = await this.badges.issue({ code });
    sendFile(res, Buffer.from(jwt), `chung-chi-so-${serial}.jwt`, VC_JWT_TYPE);
  }

  @Get(':code')
  async page(@Param('code') code: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    try {
      const v = await this.certificates.verify(code, req.ip ?? null);
      const valid = v.status === 'valid';
      const row = (label: string, value: string) =>
        `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
      const body = `
        <div class="card ${valid ? 'ok' : 'error'}" role="status">
          <h2>${valid ? 'Giấy chứng nhận hợp lệ' : 'Giấy chứng nhận đã bị thu hồi'}</h2>
          ${valid ? '<p>Thông tin dưới đây đúng như khi cấp.</p>' : `<p>Thu hồi ngày ${escapeHtml(formatDate(v.revokedOn!))}: ${escapeHtml(v.revokedReason ?? '')}</p>`}
          ${v.replacement ? `<p>Đã được cấp lại: <a href="${escapeHtml(v.replacement.verifyUrl)}">giấy số ${escapeHtml(v.replacement.serial)}</a></p>` : ''}
        </div>
        <div class="card"><dl>
          ${row('Số hiệu', v.serial)}
          ${row('Họ và tên', v.learnerName)}
          ${row('Năm sinh', String(v.birthYear))}
          ${row('Nơi cư trú', [v.commune, v.province].filter(Boolean).join(', '))}
          ${row('Chương trình', v.programName)}
          ${row('Cấp độ', `${v.level}: ${v.levelTitle}`)}
          ${row('Ngày cấp', formatDate(v.issuedOn))}
          ${row('Đơn vị cấp', v.issuer)}
          ${row('Trạng thái', v.statusText)}
        </dl></div>
        <p><a href="/verify/${escapeHtml(code)}/credential">Tải chứng chỉ số Open Badges (để lưu vào ví số)</a></p>`;
      res.status(200).type('html').send(publicPage('Xác thực giấy chứng nhận', body));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      const message =
        error.code === 'CERTIFICATE_NOT_FOUND'
          ? 'Không tìm thấy giấy chứng nhận với mã này. Giấy có thể không do hệ thống cấp, hoặc mã đã bị sửa.'
          : error.message;
      res
        .status(error.status)
        .type('html')
        .send(
          publicPage(
            'Xác thực giấy chứng nhận',
            `<div class="card error" role="alert"><h2>Không xác thực được</h2><p>${escapeHtml(message)}</p></div>`,
          ),
        );
    }
  }
}
