import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, assignmentPath, Policy, Principal, Role } from '../../access/src';
import { AuditService } from '../../audit/src';
import { OrganisationRepository, UnitRepository } from '../../hierarchy/src';
import { Clock, FieldError, Page, page } from '../../platform/src';
import { AuthErrors } from './auth.errors';
import { normalizeLogin } from './login-name';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import {
  AssignmentInputDto,
  CreateUserDto,
  ListUsersQueryDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserDto,
} from './user.dto';
import { toUserDto } from './user.mapper';
import { UserRepository, UserRow } from './user.repository';

interface ResolvedAssignment {
  role: Role;
  unitId: number | null;
  organisationId: string | null;
  /** Where the assignment reaches; null for admin. */
  path: string | null;
}

/**
 * User management by administrators and steering members. A steering member sees the users who hold a
 * role inside their subtree, manages only those whose every role lies inside it, and never grants a scope
 * wider than their own.
 */
@Injectable()
export class UserService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly passwords: PasswordService,
    private readonly units: UnitRepository,
    private readonly organisations: OrganisationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  me(principal: Principal): Promise<UserDto> {
    return this.account(principal.id);
  }

  /** The signed-in user's own account (given with a renewed web session). */
  async account(userId: string): Promise<UserDto> {
    const user = await this.users.findById(userId);
    if (!user) throw AuthErrors.userNotFound();
    return toUserDto(user);
  }

  async list(principal: Principal, query: ListUsersQueryDto): Promise<Page<UserDto>> {
    const { rows, total } = await this.users.list(principal, query, query.limit, query.offset);
    return page(rows.map(toUserDto), total, query);
  }

  async get(principal: Principal, id: string): Promise<UserDto> {
    return toUserDto(await this.visible(principal, id));
  }

  async create(principal: Principal, dto: CreateUserDto): Promise<UserDto> {
    const login = normalizeLogin(dto.login);
    const problems: FieldError[] = [];
    if (!login)
      problems.push({ field: 'login', reason: 'phải là địa chỉ email hoặc số điện thoại Việt Nam' });
    problems.push(...this.passwords.problems(dto.password, login ?? dto.login));
    const resolved = await this.resolveAll(dto.assignments, problems);
    if (problems.length) throw AuthErrors.invalid(problems);
    if (!Policy.isAdmin(principal) && resolved.length === 0) throw AccessErrors.outOfScope();
    for (const assignment of resolved) this.assertCanGrant(principal, assignment);
    const hash = await this.passwords.hash(dto.password);
    const id = await this.dataSource.transaction(async (m) => {
      if (await this.users.loginExists(m, login!)) throw AuthErrors.loginTaken(login!);
      const userId = await this.users.insert(m, {
        login: login!,
        displayName: dto.displayName,
        passwordHash: hash,
        mustChangePassword: dto.mustChangePassword ?? true,
      });
      for (const assignment of resolved)
        await this.users.insertAssignment(m, userId, assignment, principal.id);
      const created = (await this.users.findById(userId, m))!;
      await this.audit.record(
        {
          action: 'user.created',
          entityType: 'user',
          entityId: userId,
          after: toUserDto(created),
          scopePaths: paths(resolved),
        },
        m,
      );
      return userId;
    });
    return toUserDto((await this.users.findById(id))!);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    return this.change(principal, id, async (m, before) => {
      if (dto.status === 'disabled' && before.status === 'active') {
        if (id === principal.id) throw AuthErrors.selfChange();
        if (isAdmin(before) && (await this.users.otherActiveAdmins(m, id)) === 0)
          throw AuthErrors.lastAdmin();
        await this.sessions.revokeUserSessions(m, id, 'disabled', this.clock.now());
      }
      await this.users.update(m, id, dto);
      if (dto.personId !== undefined) await this.linkPerson(m, id, dto.personId);
      return dto.status && dto.status !== before.status
        ? `user.${dto.status === 'disabled' ? 'disabled' : 'enabled'}`
        : 'user.updated';
    });
  }

  async grant(principal: Principal, id: string, input: AssignmentInputDto): Promise<UserDto> {
    const problems: FieldError[] = [];
    const [resolved] = await this.resolveAll([input], problems, '');
    if (problems.length) throw AuthErrors.invalid(problems);
    return this.change(
      principal,
      id,
      async (m) => {
        // Checked once the target is known to be visible: an unseen user stays "not found".
        this.assertCanGrant(principal, resolved);
        const assignmentId = await this.users.insertAssignment(m, id, resolved, principal.id);
        if (!assignmentId) throw AuthErrors.assignmentExists();
        return 'user.role_granted';
      },
      [resolved.path],
    );
  }

  async revoke(principal: Principal, id: string, assignmentId: string): Promise<UserDto> {
    return this.change(principal, id, async (m, before) => {
      const target = before.assignments.find((a) => a.id === assignmentId);
      if (!target) throw AuthErrors.assignmentNotFound();
      if (id === principal.id) throw AuthErrors.selfChange();
      if (target.role === 'admin' && (await this.users.otherActiveAdmins(m, id)) === 0)
        throw AuthErrors.lastAdmin();
      await this.users.deleteAssignment(m, id, assignmentId);
      return 'user.role_revoked';
    });
  }

  /** An administrator or steering member sets a new password; the user must change it at next login. */
  async resetPassword(principal: Principal, id: string, dto: ResetPasswordDto): Promise<UserDto> {
    const hash = await this.passwords.hash(dto.newPassword);
    return this.change(principal, id, async (m, before) => {
      const problems = this.passwords.problems(dto.newPassword, before.login, 'newPassword');
      if (problems.length) throw AuthErrors.invalid(problems);
      await this.users.setPassword(m, id, hash, true);
      await this.sessions.revokeUserSessions(m, id, 'password_reset', this.clock.now());
      return 'user.password_reset';
    });
  }

  /**
   * Runs a change to a manageable user in one transaction and audits it with the state before and after.
   * `work` returns the audit action.
   */
  private async change(
    principal: Principal,
    id: string,
    work: (m: EntityManager, before: UserRow) => Promise<string>,
    extraPaths: (string | null)[] = [],
  ): Promise<UserDto> {
    await this.manageable(principal, id);
    await this.dataSource.transaction(async (m) => {
      await this.users.lockUser(m, id);
      const before = (await this.users.findById(id, m))!;
      const action = await work(m, before);
      const after = (await this.users.findById(id, m))!;
      const scope = [...before.assignments.map(assignmentPath), ...extraPaths].filter(
        (p): p is string => !!p,
      );
      await this.audit.record(
        {
          action,
          entityType: 'user',
          entityId: id,
          before: toUserDto(before),
          after: toUserDto(after),
          scopePaths: [...new Set(scope)],
        },
        m,
      );
    });
    return toUserDto((await this.users.findById(id))!);
  }

  private async linkPerson(m: EntityManager, userId: string, personId: string | null): Promise<void> {
    if (personId && !(await this.users.personExists(m, personId))) {
      throw AuthErrors.invalid([{ field: 'personId', reason: 'không tìm thấy hồ sơ người này' }]);
    }
    await this.users.setPerson(m, userId, personId);
  }

  /** The user if the caller may see them; otherwise "not found", so existence does not leak. */
  private async visible(principal: Principal, id: string): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw AuthErrors.userNotFound();
    if (user.id === principal.id || Policy.isAdmin(principal)) return user;
    if (!user.assignments.some((a) => Policy.covers(principal, ['steering'], assignmentPath(a)))) {
      throw AuthErrors.userNotFound();
    }
    return user;
  }

  private async manageable(principal: Principal, id: string): Promise<UserRow> {
    const user = await this.visible(principal, id);
    if (Policy.isAdmin(principal)) return user;
    const allInside =
      user.assignments.length > 0 &&
      user.assignments.every(
        (a) => a.role !== 'admin' && Policy.covers(principal, ['steering'], assignmentPath(a)),
      );
    if (!allInside) throw AccessErrors.outOfScope();
    return user;
  }

  private assertCanGrant(principal: Principal, assignment: ResolvedAssignment): void {
    if (Policy.isAdmin(principal)) return;
    if (assignment.role === 'admin' || !Policy.covers(principal, ['steering'], assignment.path)) {
      throw AccessErrors.outOfScope();
    }
  }

  private async resolveAll(
    inputs: AssignmentInputDto[],
    problems: FieldError[],
    prefix = 'assignments',
  ): Promise<ResolvedAssignment[]> {
    const today = this.clock.today();
    const out: ResolvedAssignment[] = [];
    for (const [i, input] of inputs.entries()) {
      const field = (name: string) => (prefix ? `${prefix}[${i}].${name}` : name);
      const needsUnit = input.role === 'steering' || input.role === 'viewer' || input.role === 'trainer';
      const needsOrganisation = input.role === 'department_head';
      if (needsUnit !== (input.unitCode !== undefined)) {
        problems.push({
          field: field('unitCode'),
          reason: needsUnit ? 'là bắt buộc với vai trò này' : 'không dùng với vai trò này',
        });
      }
      if (needsOrganisation !== (input.organisationId !== undefined)) {
        problems.push({
          field: field('organisationId'),
          reason: needsOrganisation ? 'là bắt buộc với vai trò này' : 'không dùng với vai trò này',
        });
      }
      if (needsUnit && input.unitCode) {
        const unit = await this.units.findByCode(input.unitCode, today);
        if (!unit)
          problems.push({ field: field('unitCode'), reason: `không có đơn vị mã ${input.unitCode}` });
        else out.push({ role: input.role, unitId: unit.id, organisationId: null, path: unit.path });
      } else if (needsOrganisation && input.organisationId) {
        const organisation = await this.organisations.findById(input.organisationId);
        if (!organisation)
          problems.push({ field: field('organisationId'), reason: 'không tìm thấy tổ chức' });
        else
          out.push({
            role: input.role,
            unitId: null,
            organisationId: organisation.id,
            path: organisation.unitPath,
          });
      } else if (input.role === 'admin') {
        out.push({ role: 'admin', unitId: null, organisationId: null, path: null });
      }
    }
    return out;
  }
}

function isAdmin(user: UserRow): boolean {
  return user.assignments.some((a) => a.role === 'admin');
}

function paths(assignments: ResolvedAssignment[]): string[] {
  return [...new Set(assignments.map((a) => a.path).filter((p): p is string => p !== null))];
}
