import { DomainError, FieldError } from '../../platform/src';

export const CertificateErrors = {
  notFound: () => new DomainError('CERTIFICATE_NOT_FOUND', 404, 'Không tìm thấy giấy chứng nhận.'),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  revoked: () => new DomainError('CERTIFICATE_REVOKED', 409, 'Giấy chứng nhận đã bị thu hồi.'),
  tooManyLookups: (retryAfter: number) =>
    new DomainError(
      'TOO_MANY_REQUESTS',
      429,
      'Tra cứu quá nhiều lần. Vui lòng chờ một phút rồi thử lại.',
      { retryAfterSeconds: retryAfter },
      [],
      {
        'Retry-After': String(retryAfter),
      },
    ),
};
