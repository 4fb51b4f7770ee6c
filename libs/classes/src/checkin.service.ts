import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  normalizeVietnamesePhone,
  retryOnConflict,
  ThrottleRepository,
} from '../../platform/src';
import { CheckinRepository } from './checkin.repository';
import { ClassErrors } from './class.errors';
import { ClassRepository, ClassRow } from './class.repository';
import { ClassService } from './class.service';
import { SESSION_MARGIN_MS } from './attendance-marks';
import { AttendanceService } from './attendance.service';

/** A token lives in 30-second windows; one from the previous window is still accepted (a slow scan). */
export const CHECKIN_WINDOW_SECONDS = 30;
const FAILURES_PER_ADDRESS = 30;

export const CheckinErrors = {
  invalid: () =>
    new DomainError(
      'CHECKIN_TOKEN_INVALID',
      404,
      'Mã QR không hợp lệ. Hãy quét lại mã trên màn hình của giảng viên.',
    ),
  expired: () =>
    new DomainError(
      'CHECKIN_TOKEN_EXPIRED',
      410,
      'Mã QR đã hết hạn. Hãy quét lại mã mới trên màn hình của giảng viên.',
    ),
  notOpen: () =>
    new DomainError(
      'CHECKIN_SESSION_NOT_OPEN',
      409,
      'Buổi học này hiện không mở điểm danh (chưa bắt đầu hoặc đã kết thúc).',
    ),
  notEnrolled: () =>
    new DomainError(
      'CHECKIN_NOT_ENROLLED',
      404,
      'Không tìm thấy bạn trong danh sách của buổi học này. Mã QR có thể thuộc lớp khác; hãy báo giảng viên.',
    ),
  replay: () =>
    new DomainError(
      'CHECKIN_REPLAY',
      409,
      'Mã QR này đã được dùng để điểm danh cho bạn. Không cần điểm danh lại.',
    ),
  already: (name: string) =>
    new DomainError('CHECKIN_ALREADY_PRESENT', 409, `${name} đã được điểm danh có mặt ở buổi học này.`),
  identity: () =>
    new DomainError('VALIDATION_FAILED', 400, 'Hãy nhập số điện thoại hoặc số CCCD, và năm sinh.', {}, [
      { field: 'identifier', reason: 'là số điện thoại hoặc 12 chữ số CCCD' },
      { field: 'birthYear', reason: 'là năm sinh 4 chữ số' },
    ]),
  throttled: (retryAfter: number) =>
    new DomainError(
      'TOO_MANY_ATTEMPTS',
      429,
      'Thử quá nhiều lần. Vui lòng chờ rồi thử lại.',
      { retryAfterSeconds: retryAfter },
      [],
      {
        'Retry-After': String(retryAfter),
      },
    ),
};

export interface CheckinContext {
  class: ClassRow;
  session: ClassRow['sessions'][number];
  tokenId: string;
}

/**
 * QR self check-in. The trainer's device shows a code that changes every 30 seconds: an HMAC over the session
 * and the time window, so it cannot be forged, only used while fresh and while the session runs. A learner
 * on the class list identifies themselves (phone or CCCD, and birth year) and is marked present once.
 */
@Injectable()
export class CheckinService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassService,
    private readonly classRepository: ClassRepository,
    private readonly checkins: CheckinRepository,
    private readonly attendance: AttendanceService,
    private readonly throttle: ThrottleRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = createHmac('sha256', config.jwtSecret).update('lan-toa:checkin').digest();
  }

  async issue(principal: Principal, classId: string, sessionId: string) {
    const c = await this.classes.manageable(principal, classId);
    const session = c.sessions.find((s) => s.id === sessionId);
    if (!session) throw ClassErrors.sessionNotFound();
    const now = this.clock.now().getTime();
    const window = Math.floor(now / 1000 / CHECKIN_WINDOW_SECONDS);
    const token = this.sign(sessionId, window);
    const url = `${this.config.publicUrl}/checkin/${token}`;
    return {
      token,
      url,
      svg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      expiresAt: new Date((window + 2) * CHECKIN_WINDOW_SECONDS * 1000).toISOString(),
      refreshAfterSeconds: (window + 1) * CHECKIN_WINDOW_SECONDS - Math.floor(now / 1000),
      sessionOpen: this.isOpen(session, now),
    };
  }

  /** The session a token stands for, or why it cannot be used now. */
  async resolve(token: string): Promise<CheckinContext> {
    const parsed = this.parse(token);
    if (!parsed) throw CheckinErrors.invalid();
    const now = this.clock.now().getTime();
    const current = Math.floor(now / 1000 / CHECKIN_WINDOW_SECONDS);
    if (parsed.window > current) throw CheckinErrors.invalid();
    if (parsed.window < current - 1) throw CheckinErrors.expired();
    const classId = await this.classRepository.classOfSession(parsed.sessionId);
    const c = classId ? await this.classRepository.findById(classId) : null;
    const session = c?.sessions.find((s) => s.id === parsed.sessionId);
    if (!c || !session) throw CheckinErrors.invalid();
    if (!this.isOpen(session, now) || c.status === 'draft' || c.status === 'cancelled')
      throw CheckinErrors.notOpen();
    return { class: c, session, tokenId: token.slice(0, 40) };
  }

  async checkIn(token: string, identifier: string, birthYear: number, ip: string | null) {
    const now = this.clock.now();
    const addressKey = `checkin:${ip ?? 'unknown'}`;
    const locked = await this.throttle.lockedUntil([addressKey], now);
    if (locked) throw CheckinErrors.throttled(Math.ceil((locked.getTime() - now.getTime()) / 1000));
    try {
      return await this.markPresent(token, identifier, birthYear, now);
    } catch (error) {
      if (error instanceof DomainError && error.status < 500)
        await this.throttle.count(addressKey, now, FAILURES_PER_ADDRESS, 15);
      throw error;
    }
  }

  private async markPresent(token: string, identifier: string, birthYear: number, now: Date) {
    const compact = identifier.replace(/[\s.-]/g, '');
    const cccd = /^\d{12}$/.test(compact) ? compact : null;
    const phone = cccd ? null : normalizeVietnamesePhone(identifier);
    if ((!cccd && !phone) || !Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2100)
      throw CheckinErrors.identity();
    const context = await this.resolve(token);
    // A learner cannot be asked to send the form again because another class's marks were written at the
    // same moment: a transaction aborted by a deadlock or serialization failure runs again.
    return retryOnConflict(() => this.markIn(context, cccd, phone, birthYear, now));
  }

  private markIn(
    context: CheckinContext,
    cccd: string | null,
    phone: string | null,
    birthYear: number,
    now: Date,
  ) {
    const { class: c, session } = context;
    return this.dataSource.transaction(async (m) => {
      const person = await this.checkins.enrolledLearner(m, c.id, birthYear, cccd, phone);
      if (!person) throw CheckinErrors.notEnrolled();
      if (!(await this.checkins.use(m, context.tokenId, person.id))) throw CheckinErrors.replay();
      // Under the class's lock, as every write of its marks: a concurrent roster or sync cannot slip between
      // this check and the write.
      await this.classRepository.lock(m, c.id);
      if (await this.checkins.present(m, session.id, person.id)) throw CheckinErrors.already(person.fullName);
      // Arriving after the start counts as late.
      const status =
        now.getTime() > new Date(session.startsAt).getTime() + 15 * 60 * 1000 ? 'late' : 'present';
      await this.attendance.write(m, c, [{ sessionId: session.id, personId: person.id, status }], {
        method: 'qr',
        by: null,
        at: now,
        action: 'attendance.qr',
      });
      return {
        fullName: person.fullName,
        status,
        classTitle: c.title,
        position: session.position,
        startsAt: session.startsAt,
      };
    });
  }

  private isOpen(session: { startsAt: string; endsAt: string }, now: number): boolean {
    return (
      now >= new Date(session.startsAt).getTime() - SESSION_MARGIN_MS &&
      now <= new Date(session.endsAt).getTime() + SESSION_MARGIN_MS
    );
  }

  private sign(sessionId: string, window: number): string {
    const body = `${sessionId.replace(/-/g, '')}${window.toString(16).padStart(8, '0')}`;
    return `${body}${this.mac(body)}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('hex').slice(0, 32);
  }

  private parse(token: string): { sessionId: string; window: number } | null {
    if (!/^[0-9a-f]{72}$/.test(token)) return null;
    const body = token.slice(0, 40);
    const expected = Buffer.from(this.mac(body));
    if (!timingSafeEqual(expected, Buffer.from(token.slice(40)))) return null;
    const hex = body.slice(0, 32);
    const sessionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { sessionId, window: parseInt(body.slice(32), 16) };
  }
}
