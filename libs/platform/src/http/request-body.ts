import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CommonErrors, DomainError, FieldError } from '../errors/domain-error';

export interface BodyLimits {
  /** Largest JSON body, in bytes (a full offline sync batch is about 150 KB). */
  jsonBytes: number;
  /** Largest HTML form body (the public check-in and verify pages), in bytes. */
  formBytes: number;
  /** Deepest nesting of arrays and objects a JSON body may have (the API's own bodies use 3). */
  jsonDepth: number;
}

export const BODY_LIMITS: BodyLimits = { jsonBytes: 2 * 1024 * 1024, formBytes: 16 * 1024, jsonDepth: 32 };

const BodyErrors = {
  tooLarge: (limit: number) =>
    new DomainError(
      'PAYLOAD_TOO_LARGE',
      413,
      `Dữ liệu gửi lên quá lớn (tối đa ${Math.round(limit / 1024).toLocaleString('vi-VN')} KB).`,
      { limitBytes: limit },
    ),
  tooDeep: (limit: number) =>
    new DomainError('JSON_TOO_DEEP', 400, `Dữ liệu JSON lồng nhau quá sâu (tối đa ${limit} cấp).`, {
      limitDepth: limit,
    }),
  malformed: (reason: string) =>
    new DomainError('MALFORMED_JSON', 400, `Dữ liệu JSON không đọc được: ${reason}.`),
  mediaType: (type: string) =>
    new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      `Kiểu dữ liệu "${type}" không được hỗ trợ: hãy gửi application/json.`,
    ),
  charset: (charset: string) =>
    new DomainError('UNSUPPORTED_CHARSET', 415, `Bảng mã "${charset}" không được hỗ trợ: hãy gửi UTF-8.`),
  encoding: (encoding: string) =>
    new DomainError(
      'UNSUPPORTED_CONTENT_ENCODING',
      415,
      `Dữ liệu nén "${encoding}" không được nhận: hãy gửi dữ liệu không nén.`,
    ),
};

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

type Kind = 'json' | 'form' | 'multipart';

function kindOf(mediaType: string): Kind | null {
  if (mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType)) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'multipart/form-data') return 'multipart';
  return null;
}

/**
 * Tracks the nesting depth of JSON as its bytes arrive, chunk by chunk, so a deep body is refused without
 * ever being parsed (a recursive parse of `[[[…` blocks the event loop, then overflows the stack). Bytes,
 * not characters: in UTF-8 no byte of a multi-byte character is an ASCII bracket, quote or backslash.
 */
class DepthMeter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  tooDeep = false;

  constructor(private readonly limit: number) {}

  feed(chunk: Buffer): void {
    for (let i = 0; i < chunk.length && !this.tooDeep; i++) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === 0x5c) this.escaped = true;
        else if (byte === 0x22) this.inString = false;
      } else if (byte === 0x22) this.inString = true;
      else if (byte === 0x5b || byte === 0x7b) this.tooDeep = ++this.depth > this.limit;
      else if (byte === 0x5d || byte === 0x7d) this.depth--;
    }
  }
}

/** Where a bad string sits, as the API's validation errors name fields: `marks[3].note`. */
function fieldName(path: string, key: string): string {
  const shown = JSON.stringify(key).slice(1, -1);
  return /^\d+$/.test(key) && path ? `${path}[${key}]` : path ? `${path}.${shown}` : shown;
}

/** In a `u` regular expression a surrogate pair is one code point: only halves left alone match. */
const LONE_SURROGATE = /\p{Cs}/u;
const NUL_REASON = 'không được chứa ký tự NUL (\\u0000)';
const SURROGATE_REASON = 'chứa ký tự Unicode không hợp lệ (nửa cặp surrogate)';

/**
 * Strings PostgreSQL cannot store (NUL) or that are not Unicode (a lone surrogate), anywhere in a body or
 * a query, keys included: each is named as a field, so the person sees which one, and none reaches SQL.
 */
export function badTextFields(value: unknown, path = '', out: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\0')) out.push({ field: path, rule: 'noNulCharacter', reason: NUL_REASON });
    else if (LONE_SURROGATE.test(value))
      out.push({ field: path, rule: 'noLoneSurrogate', reason: SURROGATE_REASON });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => badTextFields(item, `${path}[${index}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = fieldName(path, key);
      if (key.includes('\0')) out.push({ field, rule: 'noNulCharacter', reason: NUL_REASON });
      else if (LONE_SURROGATE.test(key))
        out.push({ field, rule: 'noLoneSurrogate', reason: SURROGATE_REASON });
      else badTextFields(item, field, out);
    }
  }
  return out;
}

function parse(kind: 'json' | 'form', bytes: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw kind === 'json'
      ? BodyErrors.malformed('không phải UTF-8 hợp lệ')
      : CommonErrors.validation([{ field: 'body', rule: 'utf8', reason: 'không phải UTF-8 hợp lệ' }]);
  }
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw BodyErrors.malformed('sai cú pháp');
  }
}

/**
 * The one reader of request bodies (Nest's own parsers are off): JSON and HTML forms in UTF-8, uncompressed,
 * within a size and a nesting depth, checked before anything is parsed; multipart uploads go on to the
 * upload interceptor, which has its own limits. A refused body is still read to its end (and dropped), so
 * the client, which may still be sending, receives the answer. Query strings and paths are checked for the
 * characters PostgreSQL cannot store, whether or not a body came.
 */
export function requestBodies(limits: BodyLimits = BODY_LIMITS): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const textErrors = badTextFields(req.query);
    if (safeDecode(req.path).includes('\0'))
      textErrors.unshift({ field: 'path', rule: 'noNulCharacter', reason: NUL_REASON });
    if (!hasBody(req)) return next(textErrors.length ? CommonErrors.validation(textErrors) : undefined);

    const [mediaType, ...parameters] = (req.headers['content-type'] ?? '').split(';');
    const kind = kindOf(mediaType.trim().toLowerCase());
    if (kind === 'multipart')
      return next(textErrors.length ? CommonErrors.validation(textErrors) : undefined);

    let refusal: DomainError | null = null;
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const charset = parameters
      .map((p) =>
        p
          .trim()
          .match(/^charset\s*=\s*"?([^";]+)"?$/i)?.[1]
          ?.toLowerCase(),
      )
      .find(Boolean);
    const limit = kind === 'form' ? limits.formBytes : limits.jsonBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!kind) refusal = BodyErrors.mediaType(mediaType.trim() || '(không có)');
    else if (encoding !== 'identity') refusal = BodyErrors.encoding(encoding);
    else if (charset && charset !== 'utf-8' && charset !== 'utf8') refusal = BodyErrors.charset(charset);
    else if (declared > limit) refusal = BodyErrors.tooLarge(limit);

    const depth = new DepthMeter(limits.jsonDepth);
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (refusal) return;
      received += chunk.length;
      if (received > limit) refusal = BodyErrors.tooLarge(limit);
      else if (kind === 'json' && (depth.feed(chunk), depth.tooDeep))
        refusal = BodyErrors.tooDeep(limits.jsonDepth);
      if (refusal) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('error', (error) => next(error));
    req.on('end', () => {
      if (refusal) return next(refusal);
      try {
        const body = parse(kind as 'json' | 'form', Buffer.concat(chunks));
        textErrors.push(...badTextFields(body));
        if (textErrors.length) return next(CommonErrors.validation(textErrors));
        req.body = body;
        next();
      } catch (error) {
        next(error);
      }
    });
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
