import { DomainError, FieldError } from '../../platform/src';
import { AccessErrors } from '../../access/src';

export const AuthErrors = {
  invalidCredentials: () =>
    AccessErrors.unauthenticated('INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.'),
  accountDisabled: () =>
    new DomainError('ACCOUNT_DISABLED', 403, 'Tài khoản đã bị khóa. Hãy liên hệ quản trị viên.'),
  locked: (retryAfterSeconds: number) =>
    new DomainError(
      'LOGIN_LOCKED',
      429,
      `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(retryAfterSeconds / 60)} phút.`,
      { retryAfterSeconds },
      [],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  refreshInvalid: () =>
    AccessErrors.unauthenticated(
      'REFRESH_TOKEN_INVALID',
      'Mã làm mới phiên không hợp lệ. Vui lòng đăng nhập lại.',
    ),
  refreshExpired: () =>
    AccessErrors.unauthenticated(
      'REFRESH_TOKEN_EXPIRED',
      'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    ),
  refreshReused: () =>
    AccessErrors.unauthenticated(
      'REFRESH_TOKEN_REUSED',
      'Mã làm mới phiên đã được dùng trước đó; mọi phiên liên quan đã bị thu hồi. Vui lòng đăng nhập lại.',
    ),
  tokenExpired: () => AccessErrors.unauthenticated('TOKEN_EXPIRED', 'Phiên đăng nhập đã hết hạn.'),
  tokenInvalid: () => AccessErrors.unauthenticated('TOKEN_INVALID', 'Mã truy cập không hợp lệ.'),
  sessionEnded: () => AccessErrors.unauthenticated('SESSION_ENDED', 'Phiên đăng nhập đã kết thúc.'),
  passwordChangeRequired: () =>
    new DomainError('PASSWORD_CHANGE_REQUIRED', 403, 'Bạn cần đổi mật khẩu trước khi tiếp tục.'),
  wrongPassword: () =>
    new DomainError('WRONG_PASSWORD', 400, 'Mật khẩu hiện tại không đúng.', {}, [
      { field: 'currentPassword', reason: 'không đúng' },
    ]),
  userNotFound: () => new DomainError('USER_NOT_FOUND', 404, 'Không tìm thấy người dùng.'),
  loginTaken: (login: string) =>
    new DomainError('LOGIN_TAKEN', 409, `Tên đăng nhập ${login} đã được sử dụng.`, { login }),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  lastAdmin: () =>
    new DomainError(
      'LAST_ADMIN',
      409,
      'Không thể khóa hoặc bỏ quyền của quản trị viên cuối cùng còn hoạt động.',
    ),
  selfChange: () =>
    new DomainError('SELF_CHANGE', 409, 'Không thể tự khóa tài khoản hoặc bỏ quyền của chính mình.'),
  assignmentExists: () => new DomainError('ASSIGNMENT_EXISTS', 409, 'Người dùng đã có quyền này.'),
  passwordLoginDisabled: (roles: string[]) =>
    new DomainError(
      'PASSWORD_LOGIN_DISABLED',
      403,
      'Tài khoản này không đăng nhập bằng mật khẩu. Hãy đăng nhập bằng tài khoản định danh điện tử (VNeID).',
      { roles },
    ),
  providerUnknown: () =>
    new DomainError('OIDC_PROVIDER_UNKNOWN', 404, 'Không có nhà cung cấp đăng nhập này.'),
  identityLinked: () =>
    new DomainError('IDENTITY_LINKED', 409, 'Danh tính này đã được gắn với một tài khoản.'),
  identityNotFound: () => new DomainError('IDENTITY_NOT_FOUND', 404, 'Không tìm thấy danh tính đã gắn.'),
  assignmentNotFound: () =>
    new DomainError('ASSIGNMENT_NOT_FOUND', 404, 'Không tìm thấy quyền này của người dùng.'),
};
