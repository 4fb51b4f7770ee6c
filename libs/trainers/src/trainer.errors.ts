import { DomainError, FieldError } from '../../platform/src';

export const TrainerErrors = {
  notFound: () =>
    new DomainError('TRAINER_NOT_FOUND', 404, 'Không tìm thấy giảng viên trong chương trình này.'),
  exists: (trainerId: string) =>
    new DomainError('TRAINER_EXISTS', 409, 'Người này đã là giảng viên của chương trình.', { trainerId }),
  cycle: () =>
    new DomainError(
      'TRAINER_CYCLE',
      409,
      'Không thể đặt người đào tạo là chính giảng viên này hoặc người do họ đào tạo.',
    ),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  mergeConflict: (programId: string) =>
    new DomainError(
      'PERSON_MERGE_CONFLICT',
      409,
      'Cả hai hồ sơ đều là giảng viên của cùng một chương trình; hãy chuyển người được đào tạo và ngừng một vai trò trước khi gộp.',
      { programId },
    ),
};
