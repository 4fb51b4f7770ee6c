import { DomainError } from '../../platform/src';

export const AccessErrors = {
  unauthenticated: (code = 'UNAUTHENTICATED', message = 'Cần đăng nhập để tiếp tục.') =>
    new DomainError(code, 401, message, {}, [], { 'WWW-Authenticate': 'Bearer' }),
  forbidden: (message = 'Bạn không có quyền thực hiện thao tác này.') =>
    new DomainError('FORBIDDEN', 403, message),
  outOfScope: () =>
    new DomainError('OUT_OF_SCOPE', 403, 'Đối tượng này nằm ngoài phạm vi được phân quyền của bạn.'),
};
