import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, escapeHtml, formatDate, Public, publicPage } from '../../platform/src';
import { CertificateService } from './certificate.service';

/** The page the QR code on a certificate opens: what was issued, and whether it still stands. No login. */
@ApiExcludeController()
@Public()
@Controller('verify')
export class VerifyController {
  constructor(private readonly certificates: CertificateService) {}

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
        </dl></div>`;
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
