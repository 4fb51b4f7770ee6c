import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: DomainError['errors'];
  [extra: string]: unknown;
}

const HTTP_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Yêu cầu không hợp lệ.'],
  401: ['UNAUTHENTICATED', 'Cần đăng nhập.'],
  403: ['FORBIDDEN', 'Không có quyền thực hiện thao tác này.'],
  404: ['NOT_FOUND', 'Không tìm thấy tài nguyên.'],
  405: ['METHOD_NOT_ALLOWED', 'Phương thức không được hỗ trợ.'],
  406: ['NOT_ACCEPTABLE', 'Định dạng yêu cầu không được hỗ trợ.'],
  409: ['CONFLICT', 'Xung đột dữ liệu.'],
  413: ['PAYLOAD_TOO_LARGE', 'Dữ liệu gửi lên quá lớn.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Kiểu dữ liệu không được hỗ trợ.'],
  429: ['TOO_MANY_REQUESTS', 'Quá nhiều yêu cầu, vui lòng thử lại sau.'],
};

/** PostgreSQL errors that mean the input was wrong, not the server (a missed validation must still be a 4xx). */
const PG_CLIENT_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'CONFLICT', 'Dữ liệu bị trùng với bản ghi đã có.'],
  '23503': [
    409,
    'REFERENCE_CONFLICT',
    'Dữ liệu đang được tham chiếu hoặc tham chiếu tới bản ghi không tồn tại.',
  ],
  '22P02': [400, 'INVALID_INPUT', 'Giá trị không đúng kiểu dữ liệu.'],
  '22003': [400, 'INVALID_INPUT', 'Giá trị nằm ngoài phạm vi cho phép.'],
  '22007': [400, 'INVALID_INPUT', 'Ngày giờ không hợp lệ.'],
  '22008': [400, 'INVALID_INPUT', 'Ngày giờ nằm ngoài phạm vi cho phép.'],
  // Text PostgreSQL cannot store in UTF-8 (the body reader refuses NUL first; this is the net below it).
  '22021': [400, 'INVALID_INPUT', 'Dữ liệu chứa ký tự không hợp lệ.'],
  '22P05': [400, 'INVALID_INPUT', 'Dữ liệu chứa ký tự không hợp lệ.'],
  '40001': [503, 'RETRY', 'Dữ liệu đang được cập nhật đồng thời, vui lòng thử lại.'],
  '40P01': [503, 'RETRY', 'Dữ liệu đang được cập nhật đồng thời, vui lòng thử lại.'],
};

/**
 * The database is down, restarting or refusing connections: not a bug of the request, so a 503 the client
 * may retry, and no stack in the log. Socket errors come from the pool (no SQLSTATE); 57P01–57P03 when the
 * server shuts down or starts; class 08 when a connection breaks; 53300 when it has no slot left.
 */
const UNAVAILABLE_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/;

/**
 * When a connection breaks in the middle of a transaction, TypeORM releases its query runner, and the
 * transaction's next statement (or its COMMIT, which then is never sent) fails with one of these instead of
 * the socket error: the same outage, seen one step later.
 */
const RELEASED_RUNNER = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

export function databaseUnavailable(error: unknown): boolean {
  // Not `instanceof Error`: socket errors are made by Node's core, in another realm under a test runner.
  const driver: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof driver !== 'object' || driver === null) return false;
  const { code, message, name } = driver as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof name === 'string' && RELEASED_RUNNER.has(name)) return true;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SOCKET.has(code) || code.startsWith('08') || code === '53300') return true;
    if (code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

const DATABASE_RETRY_SECONDS = '5';

function problem(status: number, code: string, detail: string): Problem {
  return {
    type: `urn:lan-toa:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: HTTP_CODES[status]?.[1] ?? (status >= 500 ? 'Lỗi máy chủ.' : 'Yêu cầu không thực hiện được.'),
    status,
    code,
    detail,
  };
}

export function toProblem(error: unknown): {
  body: Problem;
  headers: Record<string, string>;
  internal: boolean;
} {
  if (error instanceof DomainError) {
    // Standard members win over details of the same name.
    const body = { ...error.details, ...problem(error.status, error.code, error.message) };
    if (error.errors.length) body.errors = error.errors;
    return { body, headers: error.headers, internal: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const [code, detail] = HTTP_CODES[status] ?? [
      status >= 500 ? 'INTERNAL_ERROR' : 'REQUEST_FAILED',
      'Lỗi.',
    ];
    // Body-parser failures (malformed JSON) arrive here as 400s with a technical message; keep our own text.
    return { body: problem(status, code, detail), headers: {}, internal: status >= 500 };
  }
  if (databaseUnavailable(error)) {
    return {
      body: problem(
        503,
        'DATABASE_UNAVAILABLE',
        'Cơ sở dữ liệu tạm thời không phản hồi, vui lòng thử lại sau ít phút.',
      ),
      headers: { 'Retry-After': DATABASE_RETRY_SECONDS },
      internal: false,
    };
  }
  const pgCode =
    error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  if (pgCode && PG_CLIENT_ERRORS[pgCode]) {
    const [status, code, detail] = PG_CLIENT_ERRORS[pgCode];
    return {
      body: problem(status, code, detail),
      headers: status === 503 ? { 'Retry-After': '1' } : {},
      internal: false,
    };
  }
  return {
    body: problem(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'Đã có lỗi xảy ra phía máy chủ.'),
    headers: {},
    internal: true,
  };
}

/** The one place where errors become HTTP responses. A 500 never carries internals; they go to the log. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request & { id?: string }>();
    const { body, headers, internal } = toProblem(exception);
    if (internal)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    body.instance = request.originalUrl?.split('?')[0];
    if (request.id) body.requestId = String(request.id);
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }
}
