import { DomainError } from '../../platform/src';

export const CertificateErrors = {
  notFound: () => new DomainError('CERTIFICATE_NOT_FOUND', 404, 'Không tìm thấy giấy chứng nhận.'),
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
