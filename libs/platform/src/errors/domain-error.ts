export interface FieldError {
  /** The field (JSON path, e.g. `sessions[1].startsAt`, or a column letter for files). */
  field: string;
  /** What is wrong, in Vietnamese, for the person who sent it. */
  reason: string;
  /** A stable key for the rule that failed (`max`, `isInt`, `format` …). */
  rule?: string;
  /** Row number in an uploaded file (1-based, as the spreadsheet shows it). */
  row?: number;
}

/**
 * A failure the caller can act on. Every such error has a stable `code` that clients may switch on, an HTTP
 * status, and a Vietnamese message; the one exception filter turns it into `application/problem+json`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const CommonErrors = {
  validation: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  notFound: (what: string) => new DomainError('NOT_FOUND', 404, `Không tìm thấy ${what}.`),
  conflict: (message: string, details: Record<string, unknown> = {}) =>
    new DomainError('CONFLICT', 409, message, details),
};
