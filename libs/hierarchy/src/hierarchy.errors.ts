import { DomainError, FieldError } from '../../platform/src';

export const HierarchyErrors = {
  organisationNotFound: () => new DomainError('ORGANISATION_NOT_FOUND', 404, 'Không tìm thấy tổ chức.'),
  invalid: (errors: FieldError[]) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, errors),
};
