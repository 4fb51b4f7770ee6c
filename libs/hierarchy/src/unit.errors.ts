import { DomainError, FieldError } from '../../platform/src';

export const UnitErrors = {
  notFound: (code: string, asOf?: string) =>
    new DomainError(
      'UNIT_NOT_FOUND',
      404,
      asOf
        ? `Không có đơn vị hành chính mã ${code} vào ngày ${asOf}.`
        : `Không tìm thấy đơn vị hành chính mã ${code}.`,
      { unitCode: code, ...(asOf ? { asOf } : {}) },
    ),
  fileInvalid: (errors: FieldError[], total: number) =>
    new DomainError(
      'UNIT_FILE_INVALID',
      400,
      `Tệp danh mục đơn vị hành chính không hợp lệ (${total} lỗi); không có dữ liệu nào được ghi.`,
      { errorCount: total },
      errors,
    ),
  successionFileInvalid: (errors: FieldError[], total: number) =>
    new DomainError(
      'SUCCESSION_FILE_INVALID',
      400,
      `Tệp sắp xếp đơn vị hành chính không hợp lệ (${total} lỗi); không có dữ liệu nào được ghi.`,
      { errorCount: total },
      errors,
    ),
  successionsUnmatched: (errors: FieldError[], total: number) =>
    new DomainError(
      'SUCCESSION_UNITS_UNMATCHED',
      409,
      `${total} mã trong tệp sắp xếp không khớp với đơn vị nào đã có; không có dữ liệu nào được ghi.`,
      { errorCount: total },
      errors,
    ),
  fileUnreadable: (path: string, why: string) =>
    new DomainError('DATA_FILE_UNREADABLE', 400, `Không đọc được tệp ${path}: ${why}.`, { path }),
  historyOverlapsCurrent: (errors: FieldError[], total: number) =>
    new DomainError(
      'UNIT_HISTORY_OVERLAPS_CURRENT',
      409,
      `Danh mục cũ trùng thời gian hiệu lực với ${total} đơn vị hiện hành cùng mã; một danh mục cũ không được ghi đè đơn vị hiện hành, không có dữ liệu nào được ghi.`,
      { errorCount: total },
      errors,
    ),
  notCurrent: (code: string, date: string) =>
    new DomainError('UNIT_NOT_CURRENT', 409, `Đơn vị ${code} không còn hiệu lực vào ngày ${date}.`, {
      unitCode: code,
      date,
    }),
  codeTaken: (code: string) =>
    new DomainError('UNIT_CODE_TAKEN', 409, `Mã ${code} đang được một đơn vị khác sử dụng.`, {
      unitCode: code,
    }),
  levelMismatch: (message: string) => new DomainError('UNIT_LEVEL_MISMATCH', 409, message),
  effectiveDate: (code: string, after: string) =>
    new DomainError(
      'EFFECTIVE_DATE_INVALID',
      409,
      `Ngày hiệu lực phải sau ngày ${after}, là lần thay đổi gần nhất của đơn vị ${code}.`,
      { unitCode: code, after },
    ),
  hasChildren: (code: string, count: number) =>
    new DomainError(
      'UNIT_HAS_CHILDREN',
      409,
      `Đơn vị ${code} còn ${count} đơn vị trực thuộc; hãy chuyển các đơn vị này trước khi chia tách.`,
      { unitCode: code, childCount: count },
    ),
  cycle: (code: string, parentCode: string) =>
    new DomainError(
      'UNIT_CYCLE',
      409,
      `Không thể đặt ${code} trực thuộc ${parentCode}: ${parentCode} nằm trong ${code}.`,
      {
        unitCode: code,
        parentCode,
      },
    ),
};
