import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { ClassService, CompletionChange } from '../../classes/src';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  formatDate,
  isLoopbackUrl,
  Page,
  page,
  ThrottleRepository,
  vnDate,
} from '../../platform/src';
import { CertificateDto, ListCertificatesQueryDto, VerificationDto } from './certificate.dto';
import { CertificateSnapshot } from './certificate.entity';
import { CertificateErrors } from './certificate.errors';
import { certificateScopeSql } from './certificate.scope';
import { CertificateRepository, CertificateRow, IssueCandidate } from './certificate.repository';

const REVERTED = 'Thu hồi tự động: điểm danh được điều chỉnh, học viên chưa đủ điều kiện hoàn thành.';

/** Told, inside the transaction, about certificates issued or revoked (KPI figures count them). */
export interface CertificateListener {
  certificatesChanged(m: EntityManager, ids: string[]): Promise<void>;
}

@Injectable()
export class CertificateService {
  private readonly listeners: CertificateListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly certificates: CertificateRepository,
    private readonly classes: ClassService,
    private readonly throttle: ThrottleRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  listen(listener: CertificateListener): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners that these certificates were issued or changed status. */
  async changed(m: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    for (const listener of this.listeners) await listener.certificatesChanged(m, ids);
  }

  /**
   * In production, certificates are not issued on request while the public address is a loopback one: their
   * QR codes would open nothing (the service also warns at start, apps/api/src/main.ts).
   */
  private assertPublicUrl(): void {
    if (this.config.nodeEnv === 'production' && isLoopbackUrl(this.config.publicUrl))
      throw CertificateErrors.publicUrlNotPublic(this.config.publicUrl);
  }

  verifyUrl(code: string): string {
    return `${this.config.publicUrl}/verify/${code}`;
  }

  toDto(k: CertificateRow): CertificateDto {
    return {
      id: k.id,
      serial: k.serial,
      status: k.status,
      programId: k.programId,
      level: k.level,
      classId: k.classId,
      learner: {
        personId: k.personId,
        fullName: k.snapshot.learnerName,
        birthYear: k.snapshot.birthYear,
        commune: k.snapshot.commune,
      },
      issuedOn: k.issuedOn,
      imported: k.imported,
      revokedAt: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
      revokedReason: k.revokedReason,
      replacedBy: k.replacedById ? { id: k.replacedById, serial: k.replacedBySerial ?? '' } : null,
      replacesId: k.replacesId,
      verifyUrl: this.verifyUrl(k.verificationCode),
    };
  }

  /**
   * Issues certificates for completed enrolments that have none for their program level yet. Serial numbers
   * come from the program-year counter, locked first: concurrent issuers wait for one another, so numbers are
   * unique and without gaps (a rolled-back issue gives its numbers back with the counter).
   */
  async issueIn(
    m: EntityManager,
    candidates: IssueCandidate[],
    by: string | null,
    replacesId: string | null = null,
    /** A day in the past for certificates entered as history (their serials are of that day's year). */
    backDatedTo?: string,
  ): Promise<string[]> {
    const issuedAt = this.clock.now();
    const issuedOn = backDatedTo ?? this.clock.today();
    const year = Number(issuedOn.slice(0, 4));
    const ids: string[] = [];
    const byProgram = new Map<string, IssueCandidate[]>();
    for (const c of candidates) byProgram.set(c.programId, [...(byProgram.get(c.programId) ?? []), c]);
    for (const programId of [...byProgram.keys()].sort()) {
      const last = await this.certificates.lockCounter(m, programId, year);
      // Re-read after the lock: a concurrent issuer may have covered some of these people meanwhile.
      const reread = replacesId
        ? byProgram.get(programId)!
        : await this.certificates.candidates(m, {
            enrolmentIds: byProgram.get(programId)!.map((c) => c.enrolmentId),
          });
      // One certificate per person and level, even when they completed two classes of that level at once.
      const seen = new Set<string>();
      const fresh = reread.filter((c) => {
        const key = `${c.personId}|${c.level}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (!fresh.length) continue;
      await this.certificates.advanceCounter(m, programId, year, fresh.length);
      for (const [i, c] of fresh.entries()) {
        const number = last + i + 1;
        ids.push(
          await this.certificates.insert(m, {
            programId,
            personId: c.personId,
            level: c.level,
            enrolmentId: c.enrolmentId,
            classId: c.classId,
            serial: `${c.programCode}-${year}-${String(number).padStart(6, '0')}`,
            year,
            number,
            code: randomBytes(24).toString('base64url'),
            issuedAt,
            issuedOn,
            issuedBy: by,
            replacesId,
            snapshot: this.snapshot(c, issuedOn),
            unitPath: c.unitPath,
            imported: backDatedTo !== undefined,
          }),
        );
      }
    }
    await this.changed(m, ids);
    if (ids.length) {
      await this.audit.record(
        {
          action: 'certificate.issued',
          entityType: 'certificate',
          entityId: ids.length === 1 ? ids[0] : null,
          after: backDatedTo ? { ids, issuedOn, imported: true } : { ids },
          scopePaths: [...new Set(candidates.map((c) => c.unitPath))],
          actorId: by,
        },
        m,
      );
    }
    return ids;
  }

  /**
   * Automatic issuing (programs in 'auto' mode) and automatic revocation when a completion is undone —
   * unless another completed class of the same program and level still justifies the certificate.
   */
  async completionChanged(m: EntityManager, changes: CompletionChange[]): Promise<void> {
    const completed = changes.filter((c) => c.status === 'completed').map((c) => c.enrolmentId);
    if (completed.length) {
      const candidates = (await this.certificates.candidates(m, { enrolmentIds: completed })).filter(
        (c) => c.issueMode === 'auto',
      );
      if (candidates.length) await this.issueIn(m, candidates, null);
    }
    const reverted = changes.filter((c) => c.status !== 'completed').map((c) => c.enrolmentId);
    if (reverted.length) {
      const now = this.clock.now();
      // Another completed class of the same level still justifies a certificate: it stays, resting on that one.
      const rehomed = await this.certificates.rehome(m, reverted);
      if (rehomed.length)
        await this.changed(
          m,
          rehomed.map((k) => k.id),
        );
      for (const k of await this.certificates.validOfEnrolments(m, reverted)) {
        await this.certificates.revoke(m, k.id, REVERTED, null, now);
        await this.changed(m, [k.id]);
        await this.audit.record(
          {
            action: 'certificate.revoked',
            entityType: 'certificate',
            entityId: k.id,
            after: { reason: REVERTED },
            scopePaths: [k.unitPath],
            actorId: null,
          },
          m,
        );
      }
    }
  }

  /**
   * Issues the certificates of a class's completers. `issuedOn`, a day in the past, enters certificates a
   * campaign issued before it used Lan Tỏa: steering members only, never before a learner completed.
   */
  async issueForClass(
    principal: Principal,
    classId: string,
    { enrolmentIds, issuedOn }: { enrolmentIds?: string[]; issuedOn?: string },
  ): Promise<CertificateDto[]> {
    const c = await this.classes.manageable(principal, classId);
    this.assertPublicUrl();
    const today = this.clock.today();
    const backDated = issuedOn !== undefined && issuedOn !== today ? issuedOn : undefined;
    if (backDated !== undefined) {
      if (!Policy.covers(principal, ['steering'], c.unitPath)) throw AccessErrors.forbidden();
      if (backDated > today)
        throw CertificateErrors.invalid([{ field: 'issuedOn', reason: 'không được ở tương lai' }]);
    }
    const ids = await this.dataSource.transaction(async (m) => {
      const candidates = await this.certificates.candidates(m, { classId, enrolmentIds });
      const early = candidates.filter((k) => backDated !== undefined && k.completedOn > backDated);
      if (early.length) {
        throw CertificateErrors.invalid(
          early.slice(0, 20).map((k) => ({
            field: 'issuedOn',
            reason: `trước ngày ${formatDate(k.completedOn)}, ngày ${k.learnerName} hoàn thành lớp`,
          })),
        );
      }
      return this.issueIn(m, candidates, principal.id, null, backDated);
    });
    const rows = await Promise.all(ids.map((id) => this.certificates.findById(id)));
    return rows.map((r) => this.toDto(r!));
  }

  async list(principal: Principal, query: ListCertificatesQueryDto): Promise<Page<CertificateDto>> {
    const params: unknown[] = [];
    const scope = certificateScopeSql(principal, params);
    const { rows, total } = await this.certificates.list(scope, params, query, query.limit, query.offset);
    return page(
      rows.map((r) => this.toDto(r)),
      total,
      query,
    );
  }

  async get(principal: Principal, id: string): Promise<CertificateRow> {
    const k = await this.certificates.findById(id);
    const sees =
      k &&
      (Policy.covers(principal, ['steering', 'viewer'], k.unitPath) ||
        (Policy.hasRole(principal, ['trainer']) &&
          principal.personId !== null &&
          k.leadPersonId === principal.personId));
    if (!k || !sees) throw CertificateErrors.notFound();
    return k;
  }

  async revoke(principal: Principal, id: string, reason: string): Promise<CertificateDto> {
    const k = await this.manageable(principal, id);
    await this.dataSource.transaction(async (m) => {
      await this.certificates.lock(m, id);
      if (!(await this.certificates.revoke(m, id, reason, principal.id, this.clock.now())))
        throw CertificateErrors.revoked();
      await this.changed(m, [id]);
      await this.audit.record(
        {
          action: 'certificate.revoked',
          entityType: 'certificate',
          entityId: id,
          before: { status: k.status },
          after: { status: 'revoked', reason },
          scopePaths: [k.unitPath],
        },
        m,
      );
    });
    return this.toDto((await this.certificates.findById(id))!);
  }

  /**
   * Replaces a certificate with a new one (new serial and code, today's data — e.g. a corrected name): the
   * old one is revoked with the reason and points to its replacement, so its QR code still leads somewhere.
   */
  async reissue(principal: Principal, id: string, reason?: string): Promise<CertificateDto> {
    const old = await this.manageable(principal, id);
    if (!old.enrolmentId) throw CertificateErrors.notFound();
    this.assertPublicUrl();
    const newId = await this.dataSource.transaction(async (m) => {
      await this.certificates.lock(m, id);
      const why = `Cấp lại${reason ? `: ${reason}` : ''}`;
      if (!(await this.certificates.revoke(m, id, why, principal.id, this.clock.now())))
        throw CertificateErrors.revoked();
      await this.changed(m, [id]);
      const [candidate] = await this.certificates.candidates(m, { enrolmentIds: [old.enrolmentId!] });
      if (!candidate) throw CertificateErrors.notFound();
      const [created] = await this.issueIn(m, [candidate], principal.id, id);
      await this.certificates.linkReplacement(m, id, created);
      await this.audit.record(
        {
          action: 'certificate.reissued',
          entityType: 'certificate',
          entityId: id,
          after: { replacedBy: created, reason: why },
          scopePaths: [old.unitPath],
        },
        m,
      );
      return created;
    });
    return this.toDto((await this.certificates.findById(newId))!);
  }

  /** The public view of a certificate, rate-limited per address. */
  async verify(code: string, ip: string | null): Promise<VerificationDto> {
    const now = this.clock.now();
    const key = `verify:${ip ?? 'unknown'}`;
    const locked = await this.throttle.lockedUntil([key], now);
    if (locked) throw CertificateErrors.tooManyLookups(Math.ceil((locked.getTime() - now.getTime()) / 1000));
    await this.throttle.count(key, now, this.config.verifyRateLimit, 1);
    const k = /^[A-Za-z0-9_-]{20,64}$/.test(code) ? await this.certificates.findByCode(code) : null;
    if (!k) throw CertificateErrors.notFound();
    const s = k.snapshot;
    return {
      serial: k.serial,
      status: k.status,
      statusText: k.status === 'valid' ? 'Còn hiệu lực' : 'Đã thu hồi',
      learnerName: s.learnerName,
      birthYear: s.birthYear,
      commune: s.commune,
      province: s.province,
      programName: s.programName,
      level: s.level,
      levelTitle: s.levelTitle,
      issuer: s.issuer,
      issuedOn: k.issuedOn,
      revokedOn: k.revokedAt ? vnDate(k.revokedAt) : null,
      revokedReason: k.revokedReason,
      replacement: k.replacedByCode
        ? { serial: k.replacedBySerial ?? '', verifyUrl: this.verifyUrl(k.replacedByCode) }
        : null,
    };
  }

  private async manageable(principal: Principal, id: string): Promise<CertificateRow> {
    const k = await this.get(principal, id);
    if (!Policy.covers(principal, ['steering'], k.unitPath)) throw AccessErrors.outOfScope();
    return k;
  }

  private snapshot(c: IssueCandidate, issuedOn: string): CertificateSnapshot {
    return {
      learnerName: c.learnerName,
      birthYear: c.birthYear,
      commune: c.commune,
      province: c.province,
      programName: c.programName,
      level: c.level,
      levelTitle: c.levelTitle ?? `Cấp độ ${c.level}`,
      issuer: c.issuer ?? `Ban Chỉ đạo Bình dân học AI ${c.ownerUnitName}`,
      signerTitle: c.signerTitle ?? 'Trưởng Ban Chỉ đạo',
      signerName: c.signerName ?? '',
      sealHash: c.sealHash,
      place: c.place ?? c.ownerUnitShortName,
      issuedOn,
    };
  }
}
