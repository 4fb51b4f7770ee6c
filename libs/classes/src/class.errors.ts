import { DomainError, FieldError, vnDateTime } from '../../platform/src';

export const ClassErrors = {
  notFound: () => new DomainError('CLASS_NOT_FOUND', 404, 'Không tìm thấy lớp học.'),
  sessionNotFound: () => new DomainError('SESSION_NOT_FOUND', 404, 'Không tìm thấy buổi học của lớp này.'),
  enrolmentNotFound: () =>
    new DomainError('ENROLMENT_NOT_FOUND', 404, 'Không tìm thấy học viên này trong lớp.'),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  full: (capacity: number) =>
    new DomainError('CLASS_FULL', 409, `Lớp đã đủ ${capacity} học viên.`, { capacity }),
  alreadyEnrolled: (enrolmentId: string) =>
    new DomainError('ALREADY_ENROLLED', 409, 'Người này đã có tên trong lớp.', { enrolmentId }),
  notOpen: (status: string) =>
    new DomainError(
      'CLASS_NOT_OPEN',
      409,
      `Lớp đang ở trạng thái "${status}": không thể thực hiện thao tác này.`,
      { classStatus: status },
    ),
  transition: (from: string, to: string) =>
    new DomainError('CLASS_STATUS_TRANSITION', 409, `Không thể chuyển lớp từ "${from}" sang "${to}".`, {
      from,
      to,
    }),
  scheduleLocked: () =>
    new DomainError('CLASS_SCHEDULE_LOCKED', 409, 'Lớp đã có điểm danh: không thể thay lịch học.'),
  sessionNotStarted: (position: number, startsAt: string) =>
    new DomainError(
      'SESSION_NOT_STARTED',
      409,
      `Buổi ${position} chưa diễn ra (bắt đầu lúc ${vnDateTime(startsAt)}): chưa thể điểm danh.`,
      { position, startsAt },
    ),
  notTot: () =>
    new DomainError(
      'CLASS_NOT_TOT',
      409,
      'Chỉ lớp đào tạo giảng viên mới công nhận học viên thành giảng viên.',
    ),
};
