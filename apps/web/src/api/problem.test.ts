import { describe, expect, it } from 'vitest';
import { ApiError, asApiError } from './problem';

describe('problems from the API', () => {
  it('keeps the stable code, the Vietnamese detail and each field with its reason', () => {
    const response = new Response(null, { status: 400 });
    const error = ApiError.fromResponse(response, {
      code: 'VALIDATION_FAILED',
      detail: 'Dữ liệu gửi lên không hợp lệ.',
      errors: [{ field: 'value', reason: 'phải lớn hơn hoặc bằng 0' }],
    });
    expect([error.status, error.code, error.message]).toEqual([
      400,
      'VALIDATION_FAILED',
      'Dữ liệu gửi lên không hợp lệ.',
    ]);
    expect(error.field('value')).toBe('phải lớn hơn hoặc bằng 0');
    expect(error.field('unit')).toBeUndefined();
  });

  it('reads the wait of a lockout from the problem or from Retry-After', () => {
    const locked = ApiError.fromResponse(
      new Response(null, { status: 429, headers: { 'retry-after': '600' } }),
      {
        code: 'LOGIN_LOCKED',
      },
    );
    expect(locked.retryAfterSeconds).toBe(600);
    expect(locked.message).toBe('Quá nhiều yêu cầu. Vui lòng thử lại sau.');
  });

  it('turns a network failure into a Vietnamese message', () => {
    const error = asApiError(new TypeError('Failed to fetch'));
    expect([error.status, error.code]).toEqual([0, 'NETWORK']);
    expect(error.message).toMatch(/Không kết nối được máy chủ/);
  });
});
