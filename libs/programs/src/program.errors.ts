import { DomainError, FieldError } from '../../platform/src';

export const ProgramErrors = {
  notFound: () => new DomainError('PROGRAM_NOT_FOUND', 404, 'Không tìm thấy chương trình.'),
  codeTaken: (code: string) =>
    new DomainError('PROGRAM_CODE_TAKEN', 409, `Mã chương trình ${code} đã được dùng.`, {
      programCode: code,
    }),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
};
