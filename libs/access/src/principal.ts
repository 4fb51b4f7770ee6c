export const ROLES = ['admin', 'steering', 'department_head', 'trainer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Quản trị hệ thống',
  steering: 'Ban chỉ đạo',
  department_head: 'Thủ trưởng đơn vị',
  trainer: 'Giảng viên',
  viewer: 'Theo dõi',
};

/** One role held by a user, with its scope: a unit subtree, an organisation, or everything (admin). */
export interface Assignment {
  id: string;
  role: Role;
  unitId: number | null;
  unitCode: string | null;
  /** Materialised path of the unit ('/12/345/'): the scope is every unit whose path starts with it. */
  unitPath: string | null;
  organisationId: string | null;
  /** Path of the organisation's unit, for scope checks of a department head's assignment. */
  organisationUnitPath: string | null;
}

/** The authenticated caller, loaded afresh on every request (so a revoked role takes effect at once). */
export interface Principal {
  id: string;
  login: string;
  displayName: string;
  sessionId: string;
  mustChangePassword: boolean;
  /** The person record of the user (a trainer signs in as themselves), if linked. */
  personId: string | null;
  assignments: Assignment[];
}
