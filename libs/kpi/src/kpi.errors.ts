import { DomainError, FieldError } from '../../platform/src';

export const KpiErrors = {
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  unitNotFound: (code: string) =>
    new DomainError('UNIT_NOT_FOUND', 404, `Không có đơn vị hành chính mã ${code}.`, {}, [
      { field: 'unit', reason: `không có đơn vị mã ${code}` },
    ]),
  targetNotFound: () => new DomainError('TARGET_NOT_FOUND', 404, 'Không tìm thấy chỉ tiêu.'),
  splitPercentage: () =>
    new DomainError(
      'TARGET_SPLIT_PERCENTAGE',
      409,
      'Chỉ tiêu theo tỷ lệ áp dụng cho từng đơn vị; hãy đặt tỷ lệ cho các đơn vị con thay vì chia.',
    ),
  noChildren: () =>
    new DomainError('TARGET_NO_CHILDREN', 409, 'Đơn vị này không có đơn vị trực thuộc để giao chỉ tiêu.'),
  populationMissing: (figure: string, units: string[]) =>
    new DomainError(
      'POPULATION_FIGURE_MISSING',
      409,
      `Chưa có số liệu dân số "${figure}" của: ${units.join(', ')}.`,
      { figure, units },
      units.map((unit) => ({
        field: 'populationFigure',
        reason: `đơn vị ${unit} chưa có số liệu ${figure}`,
      })),
    ),
  reportNotFound: () => new DomainError('REPORT_NOT_FOUND', 404, 'Không tìm thấy báo cáo tiến độ.'),
  reportExists: (id: string) =>
    new DomainError('REPORT_EXISTS', 409, 'Đã có báo cáo của đơn vị cho kỳ này; hãy sửa báo cáo đó.', {
      reportId: id,
    }),
  reportLocked: () =>
    new DomainError(
      'REPORT_LOCKED',
      409,
      'Báo cáo đã được duyệt và bị khóa; cần mở lại (có ghi nhật ký) trước khi sửa.',
    ),
  reportState: (status: string, action: string) =>
    new DomainError('REPORT_STATE', 409, `Không thể ${action} báo cáo đang ở trạng thái "${status}".`, {
      reportStatus: status,
    }),
  contestNotFound: () => new DomainError('CONTEST_NOT_FOUND', 404, 'Không tìm thấy hội thi.'),
  contestEntryNotFound: () =>
    new DomainError('CONTEST_ENTRY_NOT_FOUND', 404, 'Không tìm thấy bài dự thi trong hội thi này.'),
  contestPublished: () =>
    new DomainError(
      'CONTEST_PUBLISHED',
      409,
      'Hội thi đã công bố kết quả; không thể thêm bài dự thi hay sửa điểm.',
    ),
  contestEntryExists: (id: string) =>
    new DomainError('CONTEST_ENTRY_EXISTS', 409, 'Người, lớp hoặc cơ quan này đã có bài dự thi.', {
      entryId: id,
    }),
  contestNotJudge: () =>
    new DomainError(
      'CONTEST_NOT_JUDGE',
      403,
      'Chỉ thành viên ban chỉ đạo của đơn vị tổ chức hoặc cấp trên mới được chấm điểm.',
    ),
  contestNoEntries: () =>
    new DomainError('CONTEST_NO_ENTRIES', 409, 'Hội thi chưa có bài dự thi nào để công bố kết quả.'),
  contestUnscored: (names: string[]) =>
    new DomainError(
      'CONTEST_UNSCORED',
      409,
      `Còn ${names.length} bài dự thi chưa được chấm đủ các tiêu chí: ${names.join(', ')}.`,
      { entries: names },
    ),
};
