import { normalizeVietnamesePhone } from './phone';

describe('Vietnamese phone numbers', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['+840912345678', '+84912345678'],
    ['0386-123-456', '+84386123456'],
    ['(0208) 3852 123', '+842083852123'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeVietnamesePhone(input)).toBe(expected);
  });

  it.each(['091234567', '09123456789', '0112345678', '+1 415 555 0100', 'abc', '', '0912a45678'])(
    'rejects %s',
    (input) => {
      expect(normalizeVietnamesePhone(input)).toBeNull();
    },
  );
});
