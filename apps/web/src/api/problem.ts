/** A failed API call, as the server described it (application/problem+json) or as the network failed. */
export interface FieldProblem {
  field: string;
  reason: string;
}

interface ProblemBody {
  code?: string;
  detail?: string;
  errors?: FieldProblem[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The reason the server gave for one field ("value", "shares[2].value" …), if any. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.reason;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    const problem = (body && typeof body === 'object' ? body : {}) as ProblemBody;
    const retryHeader = Number(response.headers.get('retry-after'));
    const retryAfter =
      problem.retryAfterSeconds ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : null);
    return new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.detail ?? GENERIC[response.status] ?? 'Đã có lỗi xảy ra. Vui lòng thử lại.',
      Array.isArray(problem.errors) ? problem.errors : [],
      retryAfter,
    );
  }

  static network(): ApiError {
    return new ApiError(0, 'NETWORK', 'Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.');
  }
}

const GENERIC: Record<number, string> = {
  401: 'Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.',
  403: 'Bạn không có quyền xem nội dung này.',
  404: 'Không tìm thấy nội dung yêu cầu.',
  429: 'Quá nhiều yêu cầu. Vui lòng thử lại sau.',
  500: 'Máy chủ gặp lỗi. Vui lòng thử lại sau.',
  503: 'Máy chủ đang bận. Vui lòng thử lại sau ít phút.',
};

/** Any thrown value as an ApiError (fetch throws a TypeError when the network is down). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return ApiError.network();
}
