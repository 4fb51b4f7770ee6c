import { ROLE_NAMES } from '../../access/src';
import { AssignmentDto, UserDto } from './user.dto';
import { AssignmentRow, UserRow } from './user.repository';

export function toAssignmentDto(a: AssignmentRow): AssignmentDto {
  return {
    id: a.id,
    role: a.role,
    roleName: ROLE_NAMES[a.role],
    unit: a.unitCode ? { code: a.unitCode, fullName: a.unitFullName ?? '' } : null,
    organisation: a.organisationId ? { id: a.organisationId, name: a.organisationName ?? '' } : null,
  };
}

/** The only shape in which a user leaves the service: no password hash, no session data. */
export function toUserDto(user: UserRow): UserDto {
  return {
    id: user.id,
    login: user.login,
    displayName: user.displayName,
    status: user.status,
    mustChangePassword: user.mustChangePassword,
    personId: user.personId,
    createdAt: new Date(user.createdAt).toISOString(),
    assignments: user.assignments.map(toAssignmentDto),
  };
}
