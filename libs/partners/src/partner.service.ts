import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { UnitRepository, UnitState } from '../../hierarchy/src';
import { APP_CONFIG, AppConfig, Clock, FieldError, Page, page } from '../../platform/src';
import { newApiKey } from './api-key';
import {
  CreateKeyDto,
  CreatePartnerDto,
  IssuedKeyDto,
  KeyListDto,
  KeyStatus,
  ListPartnersQueryDto,
  MAX_KEY_DAYS,
  PartnerDto,
  PartnerKeyDto,
  RevokeKeyDto,
  RotateKeyDto,
  UpdatePartnerDto,
} from './partner.dto';
import { PARTNER_KIND_NAMES } from './partner.entities';
import { PartnerErrors } from './partner.errors';
import { ClientRow, ClientWrite, KeyRow, PartnerRepository } from './partner.repository';
import { partnerClientScopeSql } from './partner.scope';

const DAY_MS = 86_400_000;

export function keyStatus(key: Pick<KeyRow, 'revokedAt' | 'expiresAt'>, now: Date): KeyStatus {
  if (key.revokedAt) return 'revoked';
  return new Date(key.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

export function toKeyDto(k: KeyRow, now: Date): PartnerKeyDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    status: keyStatus(k, now),
    programs: k.programs,
    unit: { code: k.unitCode, fullName: k.unitName },
    rateLimit: k.rateLimit,
    expiresAt: new Date(k.expiresAt).toISOString(),
    revokedAt: iso(k.revokedAt),
    revokedReason: k.revokedReason,
    rotatedFromId: k.rotatedFromId,
    lastUsedAt: iso(k.lastUsedAt),
    createdAt: new Date(k.createdAt).toISOString(),
  };
}

function toPartnerDto(c: ClientRow): PartnerDto {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    kindName: PARTNER_KIND_NAMES[c.kind],
    unit: { code: c.unitCode, fullName: c.unitName },
    contactName: c.contactName,
    contactEmail: c.contactEmail,
    contactPhone: c.contactPhone,
    status: c.status,
    activeKeys: c.activeKeys,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

/** What the audit trail keeps of a key: never its secret or hash. */
const keyAudit = (k: PartnerKeyDto) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  programs: k.programs.map((p) => p.code),
  unit: k.unit.code,
  rateLimit: k.rateLimit,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
  revokedReason: k.revokedReason,
});

/**
 * Partner clients and their API keys, managed by administrators and by steering members of the partner's
 * unit (a partner outside the caller's subtree does not exist for them). A key's secret is returned once,
 * at issue or rotation; only its SHA-256 is stored.
 */
@Injectable()
export class PartnerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnerRepository,
    private readonly units: UnitRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, query: ListPartnersQueryDto): Promise<Page<PartnerDto>> {
    const params: unknown[] = [];
    const scope = partnerClientScopeSql(principal, params);
    const { rows, total } = await this.partners.listClients(scope, params, query.limit, query.offset);
    return page(rows.map(toPartnerDto), total, query);
  }

  async get(principal: Principal, id: string): Promise<PartnerDto> {
    return toPartnerDto(await this.managed(principal, id));
  }

  /** The client if the caller manages it; "not found" otherwise. */
  async managed(principal: Principal, id: string): Promise<ClientRow> {
    const client = await this.partners.findClient(id);
    if (!client || !Policy.covers(principal, ['steering'], client.unitPath)) throw PartnerErrors.notFound();
    return client;
  }

  async create(principal: Principal, dto: CreatePartnerDto): Promise<PartnerDto> {
    const unit = await this.resolveUnit(dto.unitCode, 'unitCode');
    if (!Policy.covers(principal, ['steering'], unit.path)) throw AccessErrors.outOfScope();
    const id = await this.dataSource.transaction(async (m) => {
      const id = await this.partners.insertClient(
        m,
        {
          name: dto.name,
          kind: dto.kind,
          contactName: dto.contactName ?? null,
          contactEmail: dto.contactEmail ?? null,
          contactPhone: dto.contactPhone ?? null,
          unitId: unit.id,
          status: 'active',
        },
        principal.id,
      );
      await this.recordClient(m, 'partner.created', undefined, (await this.partners.findClient(id, m))!);
      return id;
    });
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, dto: UpdatePartnerDto): Promise<PartnerDto> {
    const before = await this.managed(principal, id);
    const write: ClientWrite = {
      name: dto.name ?? before.name,
      kind: dto.kind ?? before.kind,
      contactName: dto.contactName ?? before.contactName,
      contactEmail: dto.contactEmail ?? before.contactEmail,
      contactPhone: dto.contactPhone ?? before.contactPhone,
      unitId: before.unitId,
      status: dto.status ?? before.status,
    };
    await this.dataSource.transaction(async (m) => {
      await this.partners.updateClient(m, id, write);
      const action =
        before.status !== write.status
          ? write.status === 'disabled'
            ? 'partner.disabled'
            : 'partner.enabled'
          : 'partner.updated';
      await this.recordClient(m, action, before, (await this.partners.findClient(id, m))!);
    });
    return this.get(principal, id);
  }

  async keys(principal: Principal, id: string): Promise<KeyListDto> {
    await this.managed(principal, id);
    const now = this.clock.now();
    return { items: (await this.partners.listKeys(id)).map((k) => toKeyDto(k, now)) };
  }

  async issueKey(principal: Principal, id: string, dto: CreateKeyDto): Promise<IssuedKeyDto> {
    const client = await this.managed(principal, id);
    const unit = await this.scope(principal, client, dto.unitCode, dto.programIds);
    const now = this.clock.now();
    const expiresAt = this.expiry(dto.expiresAt, now);
    return this.dataSource.transaction(async (m) =>
      this.insertKey(m, principal, client.id, {
        name: dto.name,
        programIds: dto.programIds,
        unitId: unit.id,
        rateLimit: dto.rateLimit ?? this.config.partners.keyRateLimit,
        expiresAt,
        rotatedFromId: null,
      }),
    );
  }

  /**
   * A new key with the same scope and limit; the old one keeps working for the overlap (so the partner can
   * switch without downtime), then expires. Refused for a key that no longer works.
   */
  async rotateKey(principal: Principal, id: string, keyId: string, dto: RotateKeyDto): Promise<IssuedKeyDto> {
    const client = await this.managed(principal, id);
    const now = this.clock.now();
    const expiresAt = this.expiry(dto.expiresAt, now);
    return this.dataSource.transaction(async (m) => {
      await this.partners.lockKey(m, keyId);
      const old = await this.partners.findKey(client.id, keyId, m);
      if (!old) throw PartnerErrors.keyNotFound();
      if (!Policy.covers(principal, ['steering'], old.unitPath)) throw PartnerErrors.keyNotFound();
      const status = keyStatus(old, now);
      if (status !== 'active')
        throw PartnerErrors.keyNotActive(status === 'revoked' ? 'bị thu hồi' : 'hết hạn');
      const overlapHours = dto.overlapHours ?? 24;
      await this.partners.expireBy(m, old.id, new Date(now.getTime() + overlapHours * 3_600_000));
      const issued = await this.insertKey(m, principal, client.id, {
        name: old.name,
        programIds: old.programIds,
        unitId: old.unitId,
        rateLimit: old.rateLimit,
        expiresAt,
        rotatedFromId: old.id,
      });
      await this.audit.record(
        {
          action: 'partner_key.rotated',
          entityType: 'partner_key',
          entityId: old.id,
          before: keyAudit(toKeyDto(old, now)),
          after: {
            ...keyAudit(toKeyDto((await this.partners.findKey(client.id, old.id, m))!, now)),
            overlapHours,
          },
          scopePaths: [client.unitPath],
        },
        m,
      );
      return issued;
    });
  }

  /** Revoked at once: the next call with the key is refused, whichever API process serves it. */
  async revokeKey(
    principal: Principal,
    id: string,
    keyId: string,
    dto: RevokeKeyDto,
  ): Promise<PartnerKeyDto> {
    const client = await this.managed(principal, id);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      await this.partners.lockKey(m, keyId);
      const before = await this.partners.findKey(client.id, keyId, m);
      if (!before || !Policy.covers(principal, ['steering'], before.unitPath))
        throw PartnerErrors.keyNotFound();
      if (before.revokedAt) throw PartnerErrors.keyNotActive('bị thu hồi');
      await this.partners.revokeKey(m, keyId, now, dto.reason);
      const after = toKeyDto((await this.partners.findKey(client.id, keyId, m))!, now);
      await this.audit.record(
        {
          action: 'partner_key.revoked',
          entityType: 'partner_key',
          entityId: keyId,
          before: keyAudit(toKeyDto(before, now)),
          after: keyAudit(after),
          scopePaths: [client.unitPath],
        },
        m,
      );
      return after;
    });
  }

  private async insertKey(
    m: EntityManager,
    principal: Principal,
    clientId: string,
    key: {
      name: string;
      programIds: string[];
      unitId: number;
      rateLimit: number;
      expiresAt: Date;
      rotatedFromId: string | null;
    },
  ): Promise<IssuedKeyDto> {
    const secret = newApiKey();
    const keyId = await this.partners.insertKey(
      m,
      { clientId, ...key, prefix: secret.prefix, hash: secret.hash },
      principal.id,
    );
    const row = (await this.partners.findKey(clientId, keyId, m))!;
    const dto = toKeyDto(row, this.clock.now());
    await this.audit.record(
      {
        action: 'partner_key.issued',
        entityType: 'partner_key',
        entityId: keyId,
        after: keyAudit(dto),
        scopePaths: [row.unitPath],
      },
      m,
    );
    return { ...dto, secret: secret.secret };
  }

  private async recordClient(
    m: EntityManager,
    action: string,
    before: ClientRow | undefined,
    after: ClientRow,
  ): Promise<void> {
    await this.audit.record(
      {
        action,
        entityType: 'partner_client',
        entityId: after.id,
        before: before ? toPartnerDto(before) : undefined,
        after: toPartnerDto(after),
        scopePaths: [after.unitPath],
      },
      m,
    );
  }

  /**
   * The unit and programs a key or a webhook endpoint of `client` reaches: a current unit inside the partner's
   * own unit and inside the caller's scope, and programs run at, above or below it.
   */
  async scope(
    principal: Principal,
    client: ClientRow,
    unitCode: string,
    programIds: string[],
  ): Promise<UnitState> {
    const unit = await this.resolveUnit(unitCode, 'unitCode');
    if (!unit.path.startsWith(client.unitPath)) {
      throw PartnerErrors.invalid([
        { field: 'unitCode', reason: `phải thuộc đơn vị quản lý đối tác (${client.unitName})` },
      ]);
    }
    if (!Policy.covers(principal, ['steering'], unit.path)) throw AccessErrors.outOfScope();
    await this.checkPrograms(programIds, unit);
    return unit;
  }

  private async resolveUnit(code: string, field: string): Promise<UnitState> {
    const unit = await this.units.findByCode(code, this.clock.today());
    if (!unit || unit.validTo !== null) {
      throw PartnerErrors.invalid([{ field, reason: `không có đơn vị hành chính hiện hành mã ${code}` }]);
    }
    return unit;
  }

  /** Each program exists and is run at, above or below the key's unit (as the program lists show them). */
  private async checkPrograms(programIds: string[], unit: UnitState): Promise<void> {
    const rows = await this.partners.programOwnerPaths(programIds);
    const paths = new Map(rows.map((r) => [r.id, r.path]));
    const problems: FieldError[] = [];
    programIds.forEach((id, i) => {
      const path = paths.get(id);
      if (path === undefined)
        problems.push({ field: `programIds[${i}]`, reason: 'không có chương trình này' });
      else if (!path.startsWith(unit.path) && !unit.path.startsWith(path)) {
        problems.push({
          field: `programIds[${i}]`,
          reason: 'chương trình không triển khai tại đơn vị của khóa',
        });
      }
    });
    if (problems.length) throw PartnerErrors.invalid(problems);
  }

  private expiry(raw: string | undefined, now: Date): Date {
    if (raw === undefined) return new Date(now.getTime() + 365 * DAY_MS);
    const at = new Date(raw);
    if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) {
      throw PartnerErrors.invalid([{ field: 'expiresAt', reason: 'phải là một thời điểm trong tương lai' }]);
    }
    if (at.getTime() > now.getTime() + MAX_KEY_DAYS * DAY_MS) {
      throw PartnerErrors.invalid([
        { field: 'expiresAt', reason: `không được quá ${MAX_KEY_DAYS} ngày kể từ hôm nay` },
      ]);
    }
    return at;
  }
}
