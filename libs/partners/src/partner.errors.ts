import { DomainError, FieldError } from '../../platform/src';

const keyRefused = (code: string, message: string) =>
  new DomainError(code, 401, message, {}, [], { 'WWW-Authenticate': 'Bearer realm="partner"' });

export const PartnerErrors = {
  keyMissing: () =>
    keyRefused(
      'PARTNER_KEY_MISSING',
      'Cần khóa API của đối tác: gửi tiêu đề "Authorization: Bearer ltk_…" (hoặc Basic với khóa làm mật khẩu).',
    ),
  keyInvalid: () => keyRefused('PARTNER_KEY_INVALID', 'Khóa API không hợp lệ.'),
  keyRevoked: () => keyRefused('PARTNER_KEY_REVOKED', 'Khóa API đã bị thu hồi.'),
  keyExpired: () => keyRefused('PARTNER_KEY_EXPIRED', 'Khóa API đã hết hạn.'),
  partnerDisabled: () =>
    new DomainError('PARTNER_DISABLED', 403, 'Đối tác đã bị tạm dừng kết nối. Hãy liên hệ ban chỉ đạo.'),
  rateLimited: (limit: number, retryAfterSeconds: number) =>
    new DomainError(
      'RATE_LIMITED',
      429,
      `Khóa API đã dùng hết ${limit.toLocaleString('vi-VN')} lượt gọi trong một phút; hãy thử lại sau ${retryAfterSeconds} giây.`,
      { limit, retryAfterSeconds },
      [],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  notFound: () => new DomainError('PARTNER_NOT_FOUND', 404, 'Không tìm thấy đối tác.'),
  keyNotFound: () => new DomainError('PARTNER_KEY_NOT_FOUND', 404, 'Không tìm thấy khóa API.'),
  keyNotActive: (state: string) =>
    new DomainError('PARTNER_KEY_NOT_ACTIVE', 409, `Khóa API đã ${state}; không thể thực hiện thao tác này.`),
  personNotFound: () =>
    new DomainError(
      'PARTNER_PERSON_NOT_FOUND',
      404,
      'Đối tác chưa đăng ký người học có mã này (hãy gửi người học qua /partner/people trước).',
    ),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  idempotencyKeyReused: () =>
    new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'Idempotency-Key này đã được dùng cho một yêu cầu khác; mỗi yêu cầu mới cần một khóa mới.',
    ),
  webhookNotFound: () => new DomainError('WEBHOOK_NOT_FOUND', 404, 'Không tìm thấy địa chỉ nhận sự kiện.'),
  deliveryNotFound: () =>
    new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', 404, 'Không tìm thấy lần gửi sự kiện.'),
  webhookDisabled: () =>
    new DomainError(
      'WEBHOOK_DISABLED',
      409,
      'Địa chỉ nhận sự kiện đang tạm dừng; hãy bật lại trước khi gửi thử hoặc gửi lại.',
    ),
};

/** Why one item of a batch was not recorded: a stable code and a Vietnamese reason, with the fields at fault. */
export interface ItemProblem {
  code: string;
  reason: string;
  errors?: FieldError[];
}

export const ItemProblems = {
  outOfScope: (what: string): ItemProblem => ({
    code: 'OUT_OF_SCOPE',
    reason: `${what} nằm ngoài phạm vi đơn vị của khóa API.`,
  }),
  programNotAllowed: (code: string): ItemProblem => ({
    code: 'PROGRAM_NOT_ALLOWED',
    reason: `Khóa API không được ghi cho chương trình ${code}.`,
  }),
  levelUnknown: (level: number, program: string): ItemProblem => ({
    code: 'LEVEL_UNKNOWN',
    reason: `Chương trình ${program} không có cấp độ ${level}.`,
  }),
  personNotRegistered: (externalId: string): ItemProblem => ({
    code: 'PERSON_NOT_REGISTERED',
    reason: `Chưa có người học mã "${externalId}" của đối tác; hãy đăng ký qua /partner/people trước.`,
  }),
  itemIdReused: (): ItemProblem => ({
    code: 'ITEM_ID_REUSED',
    reason: 'Mã này đã được dùng cho một bản ghi khác nội dung; bản ghi đã lưu được giữ nguyên.',
  }),
  repeatedInBatch: (): ItemProblem => ({
    code: 'REPEATED_IN_BATCH',
    reason: 'Mã này xuất hiện nhiều lần trong cùng một lô.',
  }),
  invalid: (errors: FieldError[]): ItemProblem => ({
    code: 'VALIDATION_FAILED',
    reason: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  }),
  cccdConflict: (): ItemProblem => ({
    code: 'CCCD_CONFLICT',
    reason: 'Số CCCD đã có trong hồ sơ một người khác với năm sinh khác; hãy kiểm tra lại dữ liệu.',
  }),
};
