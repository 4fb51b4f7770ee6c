import { DomainError } from '../../platform/src';

export const FlagErrors = {
  notFound: () => new DomainError('FLAG_NOT_FOUND', 404, 'Không tìm thấy cảnh báo dữ liệu.'),
  programNotFound: () => new DomainError('PROGRAM_NOT_FOUND', 404, 'Không tìm thấy chương trình.'),
  unitNotFound: (code: string) =>
    new DomainError('UNIT_NOT_FOUND', 404, `Không có đơn vị hành chính mã ${code}.`, {}, [
      { field: 'unit', reason: `không có đơn vị mã ${code}` },
    ]),
  /** A reviewer does not judge the records of a class they teach. */
  ownClass: () =>
    new DomainError(
      'FLAG_OWN_CLASS',
      403,
      'Không thể tự xem xét cảnh báo về lớp học do chính mình giảng dạy; cấp chỉ đạo khác sẽ xem xét.',
    ),
  notTrainerOfFlag: () =>
    new DomainError('FLAG_NOT_YOURS', 403, 'Chỉ giảng viên của lớp học được cảnh báo mới có thể giải trình.'),
  /** A flag that closed itself when its records were corrected is not a reviewer's to decide. */
  resolvedByCorrection: () =>
    new DomainError(
      'FLAG_RESOLVED_BY_CORRECTION',
      409,
      'Cảnh báo đã tự đóng vì dữ liệu đã được sửa; nếu dữ liệu mới lại có dấu hiệu, cảnh báo sẽ tự mở lại.',
    ),
  sameDecision: (status: string) =>
    new DomainError('FLAG_ALREADY_DECIDED', 409, `Cảnh báo đã ở trạng thái này (${status}).`),
};
