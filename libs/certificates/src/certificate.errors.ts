import { DomainError, FieldError } from '../../platform/src';

export const CertificateErrors = {
  notFound: () => new DomainError('CERTIFICATE_NOT_FOUND', 404, 'Không tìm thấy giấy chứng nhận.'),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  publicUrlNotPublic: (url: string) =>
    new DomainError(
      'PUBLIC_URL_NOT_PUBLIC',
      409,
      `Chưa cấp được giấy chứng nhận: địa chỉ công khai của hệ thống (PUBLIC_URL) đang là ${url}, chỉ mở được trên ` +
        'chính máy chủ, nên mã QR xác thực trên giấy sẽ không mở được trên điện thoại của người khác. Quản trị ' +
        'viên cần đặt PUBLIC_URL là địa chỉ mà mọi người truy cập (ví dụ https://lantoa.thainguyen.gov.vn) rồi khởi động lại.',
    ),
  sealNotFound: () =>
    new DomainError('CERTIFICATE_SEAL_NOT_FOUND', 404, 'Đơn vị chưa có ảnh con dấu cho giấy chứng nhận.'),
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
