import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { CitizenIdentity, OidcService } from '../../auth/src';
import { CertificatePrintService } from '../../certificates/src';
import { ClassErrors, EnrolmentRepository } from '../../classes/src';
import { PersonService, readCccd } from '../../people/src';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  foldVietnamese,
  normalizeVietnamesePhone,
  Page,
  page,
} from '../../platform/src';
import {
  CitizenMeDto,
  FindClassesQueryDto,
  PublicClassDto,
  RegisteredDto,
  RegistrationDto,
} from './citizen.dto';
import { CitizenRepository } from './citizen.repository';

export const CitizenErrors = {
  classNotFound: () =>
    new DomainError('CLASS_NOT_FOUND', 404, 'Không tìm thấy lớp học này, hoặc lớp không nhận đăng ký.'),
  identityMismatch: (field: string) =>
    new DomainError(
      'IDENTITY_MISMATCH',
      409,
      'Thông tin không khớp với hồ sơ đã có. Hãy kiểm tra lại năm sinh, hoặc nhờ giảng viên ghi danh.',
      {},
      [{ field, reason: 'không khớp với hồ sơ đã có' }],
    ),
  invalid: (field: string, reason: string) =>
    new DomainError('VALIDATION_FAILED', 400, 'Dữ liệu gửi lên không hợp lệ.', {}, [{ field, reason }]),
  noNationalId: () =>
    new DomainError(
      'CITIZEN_NO_NATIONAL_ID',
      409,
      'Nhà cung cấp đăng nhập không gửi số CCCD, nên không tìm được hồ sơ học viên của bạn.',
    ),
  certificateNotFound: () =>
    new DomainError('CERTIFICATE_NOT_FOUND', 404, 'Không tìm thấy giấy chứng nhận của bạn.'),
};

/**
 * The citizens' page: open classes found by commune (public, no personal data), registration with the same
 * identity rules as QR check-in (or the identity of a VNeID sign-in), and a signed-in citizen's own classes,
 * attendance and certificates — never anyone else's.
 */
@Injectable()
export class CitizenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly citizens: CitizenRepository,
    private readonly people: PersonService,
    private readonly enrolments: EnrolmentRepository,
    private readonly certificates: CertificatePrintService,
    private readonly oidc: OidcService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async findClasses(query: FindClassesQueryDto): Promise<Page<PublicClassDto>> {
    const words = foldVietnamese(query.q).split(' ').filter(Boolean);
    if (!words.length) return page([], 0, query);
    // Every word starts a word of the commune's name: "dong hy" finds "Xã Đồng Hỷ".
    const { rows, total } = await this.citizens.findClasses(
      words.map((w) => `% ${w}%`),
      this.clock.now(),
      query.limit,
      query.offset,
    );
    return page(
      rows.map(({ nextAt: _nextAt, ...c }) => ({
        ...c,
        sessions: c.sessions.map((s) => ({
          ...s,
          startsAt: new Date(s.startsAt).toISOString(),
          endsAt: new Date(s.endsAt).toISOString(),
        })),
      })),
      total,
      query,
    );
  }

  /** Registration without signing in: phone and birth year find an existing record, as on the check-in page. */
  register(classId: string, dto: RegistrationDto): Promise<RegisteredDto> {
    const phone = normalizeVietnamesePhone(dto.phone);
    if (!phone) throw CitizenErrors.invalid('phone', 'không phải số điện thoại Việt Nam');
    return this.enrol(classId, async (m, unitCode, segment) => {
      if (dto.cccd) {
        const byCccd = await this.citizens.personByCccd(m, dto.cccd);
        if (byCccd) {
          if (byCccd.birthYear !== dto.birthYear) throw CitizenErrors.identityMismatch('birthYear');
          return byCccd;
        }
      }
      const byPhone = await this.citizens.personByPhone(m, phone, dto.birthYear);
      if (byPhone) return byPhone;
      const facts = dto.cccd ? readCccd(dto.cccd) : null;
      if (typeof facts === 'string') throw CitizenErrors.invalid('cccd', facts);
      if (facts && facts.birthYear !== dto.birthYear) throw CitizenErrors.identityMismatch('cccd');
      return this.create(m, {
        fullName: dto.fullName,
        birthYear: dto.birthYear,
        gender: facts?.gender ?? 'other',
        communeCode: unitCode,
        segment,
        phone,
        cccd: dto.cccd,
      });
    });
  }

  /** Registration of a citizen signed in with VNeID: their CCCD finds (or creates) their one record. */
  registerSignedIn(classId: string, identity: CitizenIdentity): Promise<RegisteredDto> {
    const cccd = identity.nationalId;
    if (!cccd) throw CitizenErrors.noNationalId();
    return this.enrol(classId, async (m, unitCode, segment) => {
      const existing = await this.citizens.personByCccd(m, cccd);
      if (existing) return existing;
      const facts = readCccd(cccd);
      if (typeof facts === 'string') throw CitizenErrors.invalid('cccd', facts);
      return this.create(m, {
        fullName: identity.name ?? 'Học viên',
        birthYear: facts.birthYear,
        gender: facts.gender,
        communeCode: unitCode,
        segment,
        cccd,
      });
    });
  }

  private async create(
    m: EntityManager,
    input: {
      fullName: string;
      birthYear: number;
      gender: 'male' | 'female' | 'other';
      communeCode: string;
      segment: string;
      phone?: string;
      cccd?: string;
    },
  ): Promise<{ id: string; fullName: string }> {
    // The commune of the class stands for the commune of residence until a trainer corrects it.
    const { write } = await this.people.validate(input, m);
    const { row } = await this.people.register(m, write, null);
    return { id: row.id, fullName: row.fullName };
  }

  private async enrol(
    classId: string,
    person: (
      m: EntityManager,
      unitCode: string,
      segment: string,
    ) => Promise<{ id: string; fullName: string }>,
  ): Promise<RegisteredDto> {
    return this.dataSource.transaction(async (m) => {
      const c = await this.citizens.openClass(m, classId);
      if (!c) throw CitizenErrors.classNotFound();
      const who = await person(m, c.unitCode, c.targetSegment ?? 'other');
      if (await this.citizens.enrolment(m, c.id, who.id))
        return { status: 'already_registered' as const, classTitle: c.title, fullName: who.fullName };
      if (!(await this.enrolments.takeSeat(m, c.id))) {
        const now = await this.citizens.classStatus(m, c.id);
        throw ['draft', 'scheduled', 'in_progress'].includes(now.status)
          ? ClassErrors.full(now.capacity)
          : ClassErrors.notOpen(now.status);
      }
      const id = await this.enrolments.insert(m, c.id, who.id, false, null);
      await this.audit.record(
        {
          action: 'enrolment.created',
          entityType: 'enrolment',
          entityId: id,
          after: { classId: c.id, personId: who.id, by: 'citizen' },
          actorId: null,
          actorName: 'Người học tự đăng ký',
        },
        m,
      );
      return { status: 'registered' as const, classTitle: c.title, fullName: who.fullName };
    });
  }

  async me(identity: CitizenIdentity): Promise<CitizenMeDto> {
    const person = identity.nationalId
      ? await this.citizens.personByCccd(this.dataSource.manager, identity.nationalId)
      : null;
    if (!person) return { name: identity.name, found: false, classes: [], certificates: [] };
    const certificates = await this.citizens.certificatesOf(person.id);
    return {
      name: identity.name ?? person.fullName,
      found: true,
      classes: (await this.citizens.classesOf(person.id)).map((c) => ({
        ...c,
        sessions: c.sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt).toISOString() })),
      })),
      certificates: certificates.map(({ code, ...k }) => ({
        ...k,
        verifyUrl: `${this.config.publicUrl}/verify/${code}`,
        pdfUrl: `/api/v1/citizen/certificates/${k.id}/pdf`,
        credentialUrl: `/verify/${code}/credential`,
      })),
    };
  }

  /** The PDF of one of the signed-in citizen's own certificates. */
  async certificatePdf(identity: CitizenIdentity, id: string): Promise<{ body: Buffer; fileName: string }> {
    const person = identity.nationalId
      ? await this.citizens.personByCccd(this.dataSource.manager, identity.nationalId)
      : null;
    if (!person || (await this.citizens.certificateOwner(id)) !== person.id)
      throw CitizenErrors.certificateNotFound();
    return this.certificates.holderPdf(id);
  }

  endSessionUrl(identity: CitizenIdentity): Promise<string | null> {
    return this.oidc.endSessionUrl(identity.provider, identity.idToken, `${this.config.publicUrl}/hoc-vien`);
  }
}
