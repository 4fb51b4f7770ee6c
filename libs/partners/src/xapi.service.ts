import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src';
import { APP_CONFIG, AppConfig, Clock, DomainError, FieldError } from '../../platform/src';
import { checkItem } from './items';
import { LearningRepository } from './learning.repository';
import { PartnerCaller } from './partner-caller';
import { PartnerErrors } from './partner.errors';
import { LearningInput, PartnerLearningService } from './partner-learning.service';
import { XapiActivityRepository } from './xapi-activity.repository';
import { XAPI_BATCH_LIMIT, XAPI_VERBS, XAPI_VERSION, XapiActivityDto, XapiActivityListDto } from './xapi.dto';

const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARTNER_ID = /^[\x21-\x7e]{1,100}$/;

export const XapiErrors = {
  versionRequired: () =>
    new DomainError(
      'XAPI_VERSION_REQUIRED',
      400,
      `Thiếu hoặc sai tiêu đề X-Experience-API-Version (hỗ trợ ${XAPI_VERSION}).`,
      {},
      [{ field: 'X-Experience-API-Version', reason: `phải là ${XAPI_VERSION} (hoặc 1.0.x)` }],
    ),
  refused: (errors: FieldError[]) =>
    new DomainError(
      'XAPI_STATEMENT_REFUSED',
      400,
      'Có câu lệnh xAPI không được nhận; không câu lệnh nào của lô được ghi. Xem lý do của từng câu lệnh.',
      {},
      errors,
    ),
  conflict: (errors: FieldError[]) =>
    new DomainError(
      'XAPI_STATEMENT_CONFLICT',
      409,
      'Mã câu lệnh đã được dùng cho một câu lệnh khác nội dung; không câu lệnh nào của lô được ghi.',
      {},
      errors,
    ),
};

type Mapping = { programCode: string; level: number; lesson: string | null };

type Parsed =
  | { index: number; id: string; input: LearningInput }
  | { index: number; id: string; voids: string }
  | { index: number; problems: FieldError[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A UUID made from the statement's content: a statement sent again without an id gets the same one. */
function derivedId(content: unknown): string {
  const h = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The xAPI adapter: an LMS or practice platform that speaks xAPI 1.0.3 posts its statements as to a Learning
 * Record Store. "completed" and "passed" of an activity mapped to a program level record a level completion
 * (of a lesson of a level: a lesson); "voided" withdraws one sent before. The learner is the actor's
 * `account.name`, the partner's own id registered through /partner/people. A batch is all or nothing, as the
 * specification asks: one malformed or unmapped statement refuses the batch with the reason of each; the
 * statement id makes a replay change nothing.
 */
@Injectable()
export class XapiService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly learning: PartnerLearningService,
    private readonly records: LearningRepository,
    private readonly activityMappings: XapiActivityRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  checkVersion(header: string | undefined): void {
    if (!header || !/^1\.0(\.\d+)?$/.test(header.trim())) throw XapiErrors.versionRequired();
  }

  /** The IRI prefix of a program's levels that needs no mapping: `<PUBLIC_URL>/xapi/programs/TN/levels/`. */
  activityPrefix(programCode: string): string {
    return `${this.config.publicUrl}/xapi/programs/${programCode}/levels/`;
  }

  async statements(partner: PartnerCaller, body: unknown): Promise<string[]> {
    const list = Array.isArray(body) ? (body as unknown[]) : [body];
    if (!list.length || list.length > XAPI_BATCH_LIMIT) {
      throw XapiErrors.refused([
        { field: 'statements', reason: `phải có từ 1 đến ${XAPI_BATCH_LIMIT} câu lệnh` },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const mappings = await this.mappings(m, partner);
      const now = this.clock.now();
      const parsed = list.map((s, i) => this.parse(s, i, mappings, now));
      const problems = parsed.flatMap((p) => ('problems' in p ? p.problems : []));
      const ids = new Map<string, number>();
      for (const p of parsed) {
        if (!('id' in p)) continue;
        if (ids.has(p.id))
          problems.push({
            field: `statements[${p.index}].id`,
            reason: 'trùng mã với câu lệnh khác trong lô',
          });
        ids.set(p.id, p.index);
      }
      const voids = parsed.filter((p): p is Extract<Parsed, { voids: string }> => 'voids' in p);
      if (voids.length) {
        const stored = new Set(
          (
            await this.records.stored(
              m,
              partner.clientId,
              voids.map((v) => v.voids),
              null,
            )
          ).map((s) => s.itemId),
        );
        for (const v of voids) {
          if (!stored.has(v.voids)) {
            problems.push({
              field: `statements[${v.index}].object.id`,
              reason: 'không có câu lệnh nào của đối tác mang mã này để hủy',
            });
          }
        }
      }
      const inputs = parsed.flatMap((p) => ('input' in p ? [p.input] : []));
      const resolved = await this.learning.resolve(m, partner, inputs, true);
      const conflicts: FieldError[] = [];
      for (const r of resolved) {
        if (!('problem' in r)) continue;
        const errors = r.problem.errors ?? [
          { field: `statements[${r.input.index}]`, reason: r.problem.reason },
        ];
        (r.problem.code === 'ITEM_ID_REUSED' ? conflicts : problems).push(...errors);
      }
      if (problems.length) throw XapiErrors.refused(problems);
      if (conflicts.length) throw XapiErrors.conflict(conflicts);
      await this.learning.write(m, partner, resolved, 'xapi');
      if (voids.length)
        await this.void(
          m,
          partner,
          voids.map((v) => v.voids),
          now,
        );
      return parsed.map((p) => ('id' in p ? p.id : ''));
    });
  }

  private async void(m: EntityManager, partner: PartnerCaller, itemIds: string[], at: Date): Promise<void> {
    const voided = await this.records.void(m, partner.clientId, itemIds, at);
    if (!voided.length) return;
    await this.learning.counted(m, voided);
    await this.audit.record(
      {
        action: 'partner.learning_voided',
        entityType: 'partner_client',
        entityId: partner.clientId,
        after: { records: voided.map((r) => r.id), statements: itemIds },
        scopePaths: [partner.unitPath],
      },
      m,
    );
  }

  private parse(raw: unknown, index: number, mappings: Map<string, Mapping>, now: Date): Parsed {
    const at = (path: string) => `statements[${index}]${path}`;
    const problems: FieldError[] = [];
    const refuse = (path: string, reason: string) => problems.push({ field: at(path), reason });
    if (!isObject(raw))
      return { index, problems: [{ field: at(''), reason: 'phải là một câu lệnh xAPI (đối tượng JSON)' }] };
    const { id, actor, verb, object, result, timestamp, version } = raw;
    if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) refuse('.id', 'phải là một UUID');
    if (version !== undefined && (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version)))
      refuse('.version', `phải là ${XAPI_VERSION}`);
    let occurredAt = now;
    if (timestamp !== undefined) {
      const parsed = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
      if (typeof timestamp !== 'string' || Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}T/.test(timestamp))
        refuse('.timestamp', 'phải là thời điểm theo ISO 8601');
      else occurredAt = new Date(parsed);
    }

    const verbId = isObject(verb) ? verb.id : undefined;
    if (typeof verbId !== 'string' || !IRI.test(verbId)) refuse('.verb.id', 'phải là IRI của động từ');
    else if (!Object.values(XAPI_VERBS).includes(verbId as never)) {
      refuse('.verb.id', `chỉ nhận ${Object.values(XAPI_VERBS).join(', ')}`);
    }

    if (verbId === XAPI_VERBS.voided) {
      const target = isObject(object) ? object : {};
      if (target.objectType !== 'StatementRef' || typeof target.id !== 'string' || !UUID.test(target.id)) {
        refuse('.object', 'câu lệnh hủy phải trỏ tới một câu lệnh (objectType StatementRef, id là UUID)');
      }
      if (problems.length) return { index, problems };
      const voids = (target.id as string).toLowerCase();
      return { index, id: typeof id === 'string' ? id.toLowerCase() : derivedId(['voided', voids]), voids };
    }

    let externalId = '';
    if (!isObject(actor)) refuse('.actor', 'là bắt buộc');
    else if (actor.objectType !== undefined && actor.objectType !== 'Agent') {
      refuse('.actor.objectType', 'chỉ nhận một người học (Agent), không nhận nhóm');
    } else if (!isObject(actor.account)) {
      refuse(
        '.actor.account',
        'người học được nhận diện bằng account { homePage, name } — name là mã người học của đối tác',
      );
    } else {
      const { homePage, name } = actor.account;
      if (typeof homePage !== 'string' || !IRI.test(homePage))
        refuse('.actor.account.homePage', 'phải là một địa chỉ (IRL)');
      if (typeof name !== 'string' || !PARTNER_ID.test(name)) {
        refuse(
          '.actor.account.name',
          'phải là mã người học của đối tác (1 đến 100 ký tự ASCII, không khoảng trắng)',
        );
      } else externalId = name;
    }

    let mapping: Mapping | undefined;
    const objectId = isObject(object) ? object.id : undefined;
    if (!isObject(object)) refuse('.object', 'là bắt buộc');
    else if (object.objectType !== undefined && object.objectType !== 'Activity') {
      refuse('.object.objectType', 'phải là Activity');
    } else if (typeof objectId !== 'string' || !IRI.test(objectId))
      refuse('.object.id', 'phải là IRI của hoạt động');
    else {
      mapping = mappings.get(objectId) ?? this.canonical(objectId);
      if (!mapping) {
        refuse(
          '.object.id',
          'hoạt động chưa được ánh xạ tới cấp độ nào (PUT /api/v1/partner/xapi/activities, hoặc dùng IRI chuẩn của chương trình)',
        );
      }
    }

    let score: number | null = null;
    if (result !== undefined) {
      if (!isObject(result)) refuse('.result', 'phải là một đối tượng');
      else {
        if (verbId === XAPI_VERBS.passed && result.success === false)
          refuse('.result.success', 'không thể là false với động từ passed');
        if (verbId === XAPI_VERBS.completed && result.completion === false) {
          refuse('.result.completion', 'không thể là false với động từ completed');
        }
        const s = result.score;
        if (s !== undefined) {
          score = isObject(s) ? this.score(s) : null;
          if (score === null)
            refuse('.result.score', 'phải có scaled từ 0 đến 1, hoặc raw trong khoảng min–max');
        }
      }
    }
    if (problems.length || !mapping) return { index, problems };
    const content = {
      actor: externalId,
      verb: verbId,
      object: objectId,
      score,
      timestamp: timestamp ?? null,
    };
    const statementId = typeof id === 'string' ? id.toLowerCase() : derivedId(content);
    return {
      index,
      id: statementId,
      input: {
        index,
        prefix: at(''),
        timeField: 'timestamp',
        itemId: statementId,
        kind: mapping.lesson ? 'lesson' : 'completion',
        externalId,
        programCode: mapping.programCode,
        level: mapping.level,
        lesson: mapping.lesson,
        occurredAt,
        canApply: null,
        score,
        communeCode: null,
        contentHash: createHash('sha256').update(JSON.stringify(content)).digest('hex'),
      },
    };
  }

  private score(s: Record<string, unknown>): number | null {
    const round = (v: number) => Math.round(v * 10_000) / 100;
    if (typeof s.scaled === 'number') return s.scaled >= 0 && s.scaled <= 1 ? round(s.scaled) : null;
    const { raw, min = 0, max } = s;
    if (typeof raw !== 'number' || typeof min !== 'number' || typeof max !== 'number' || max <= min)
      return null;
    return raw >= min && raw <= max ? round((raw - min) / (max - min)) : null;
  }

  /** `<PUBLIC_URL>/xapi/programs/<CODE>/levels/<n>[/lessons/<lesson>]`: a program's own activity IRIs. */
  private canonical(iri: string): Mapping | undefined {
    const base = `${this.config.publicUrl}/xapi/programs/`;
    if (!iri.startsWith(base)) return undefined;
    const match = /^([A-Z][A-Z0-9]{0,9})\/levels\/([1-5])(?:\/lessons\/([^/?#]{1,200}))?$/.exec(
      iri.slice(base.length),
    );
    if (!match) return undefined;
    return {
      programCode: match[1],
      level: Number(match[2]),
      lesson: match[3] ? decodeURIComponent(match[3]) : null,
    };
  }

  private async mappings(m: EntityManager, partner: PartnerCaller): Promise<Map<string, Mapping>> {
    const rows = await this.activityMappings.mappings(m, partner.clientId);
    return new Map(rows.map((r) => [r.activityId, r]));
  }

  async activities(partner: PartnerCaller): Promise<XapiActivityListDto> {
    const rows = await this.activityMappings.list(partner.clientId);
    return { activities: rows.map((r) => ({ ...r, lesson: r.lesson ?? undefined })) };
  }

  /** Replaces the partner's activity mappings (for the programs of its key), all or nothing. */
  async setActivities(partner: PartnerCaller, items: object[]): Promise<XapiActivityListDto> {
    const problems: FieldError[] = [];
    const checked: XapiActivityDto[] = [];
    for (const [i, raw] of items.entries()) {
      const item = await checkItem(XapiActivityDto, raw, `activities[${i}]`);
      if (Array.isArray(item)) problems.push(...item);
      else checked.push(item);
    }
    const programs = await this.activityMappings.programLevels(partner.programIds);
    const byCode = new Map(programs.map((p) => [p.code, p]));
    const seen = new Set<string>();
    checked.forEach((a, i) => {
      const program = byCode.get(a.programCode);
      if (!program)
        problems.push({
          field: `activities[${i}].programCode`,
          reason: 'khóa API không được ghi cho chương trình này',
        });
      else if (!program.levels.map(Number).includes(a.level)) {
        problems.push({
          field: `activities[${i}].level`,
          reason: `chương trình ${a.programCode} không có cấp độ này`,
        });
      }
      if (seen.has(a.activityId))
        problems.push({ field: `activities[${i}].activityId`, reason: 'trùng với một dòng khác' });
      seen.add(a.activityId);
    });
    if (problems.length) throw PartnerErrors.invalid(problems);
    await this.dataSource.transaction(async (m) => {
      await this.activityMappings.replace(
        m,
        partner.clientId,
        checked.map((a) => ({
          activityId: a.activityId,
          programId: byCode.get(a.programCode)!.id,
          level: a.level,
          lesson: a.lesson ?? null,
        })),
      );
      await this.audit.record(
        {
          action: 'partner.xapi_activities_set',
          entityType: 'partner_client',
          entityId: partner.clientId,
          after: { activities: checked.length },
          scopePaths: [partner.unitPath],
        },
        m,
      );
    });
    return this.activities(partner);
  }
}
