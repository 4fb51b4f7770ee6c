import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../errors/domain-error';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_TYPE = 'application/pdf';
/** An operation that answers with a file of one of these media types (in OpenAPI: a binary body). */
export function ApiFileResponse(summary: string, ...types: string[]): MethodDecorator {
  return applyDecorators(
    ApiProduces(...types),
    ApiOkResponse({ schema: { type: 'string', format: 'binary' } }),
    ApiOperation({ summary }),
  );
}

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Content-Disposition with an ASCII fallback and the real (Vietnamese) name per RFC 6266 / 5987. */
export function attachment(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function sendFile(res: Response, body: Buffer, filename: string, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', attachment(filename));
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}

/** The uploaded file of a multipart request (field `file`), or a clear 400. */
export function uploadedBuffer(file: { buffer?: Buffer } | undefined): Buffer {
  if (!file?.buffer?.length) {
    throw new DomainError(
      'FILE_REQUIRED',
      400,
      'Cần tải lên một tệp (trường "file" của biểu mẫu multipart).',
      {},
      [{ field: 'file', reason: 'là bắt buộc' }],
    );
  }
  return file.buffer;
}
