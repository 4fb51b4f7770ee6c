import { DomainError, FieldError } from '../../platform/src';

export const PersonErrors = {
  notFound: () => new DomainError('PERSON_NOT_FOUND', 404, 'Không tìm thấy người học.'),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
  cccdExists: (existingPersonId: string) =>
    new DomainError('PERSON_CCCD_EXISTS', 409, 'Số CCCD này đã có trong hồ sơ của một người khác.', {
      existingPersonId,
    }),
  merged: (id: string, into: string) =>
    new DomainError('PERSON_MERGED', 409, 'Hồ sơ này đã được gộp vào một hồ sơ khác.', {
      personId: id,
      mergedIntoId: into,
    }),
  mergeSelf: () => new DomainError('PERSON_MERGE_SELF', 409, 'Không thể gộp một hồ sơ vào chính nó.'),
  duplicateNotFound: () =>
    new DomainError('DUPLICATE_NOT_FOUND', 404, 'Không tìm thấy cặp hồ sơ nghi trùng.'),
};
