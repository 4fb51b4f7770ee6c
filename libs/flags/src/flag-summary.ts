import { vnDateTime } from '../../platform/src';
import { FlagPattern } from './flag-patterns';

type Evidence = Record<string, unknown>;

const n = (v: unknown) => Number(v ?? 0).toLocaleString('vi-VN');
const pct = (v: unknown) =>
  `${(Number(v ?? 0) * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const at = (v: unknown) => (str(v) ? vnDateTime(str(v)) : '—');
const overlaps = (e: Evidence) => (Array.isArray(e.overlaps) ? (e.overlaps as Evidence[]) : []);

/** One line of Vietnamese evidence for the queue; the full evidence comes with it. */
export function summarise(pattern: FlagPattern, e: Evidence): string {
  switch (pattern) {
    case 'backfilled':
      return `Buổi ${n(e.position)} kết thúc lúc ${at(e.sessionEndsAt)}; ${n(e.marks)} lượt điểm danh được máy chủ nhận đến ${at(e.lastReceivedAt)} (sau ${n(e.hoursAfter)} giờ, ngưỡng ${n(e.threshold)} giờ).`;
    case 'device_clock':
      return `Buổi ${n(e.position)}: ${n(e.marks)} lượt điểm danh ngoại tuyến có giờ thiết bị lệch tới ${n(e.maxGapHours)} giờ so với lúc máy chủ nhận (ngưỡng ${n(e.threshold)} giờ).`;
    case 'marked_at_once':
      return `Buổi ${n(e.position)}: cả ${n(e.present)} học viên được điểm danh có mặt trong ${n(e.seconds)} giây (${at(e.firstRecordedAt)}), ngưỡng ${n(e.threshold)} giây.`;
    case 'identical_sessions':
      return `Cả ${n(e.sessions)} buổi học có cùng một danh sách ${n(e.present)} người có mặt.`;
    case 'person_two_places': {
      const o = overlaps(e)[0] ?? {};
      return `Cùng một người có mặt ở "${str(o.classTitle)}" (${at(o.startsAt)}) và "${str(o.otherClassTitle)}" (${at(o.otherStartsAt)}), trùng ${n(o.minutes)} phút.`;
    }
    case 'trainer_two_places': {
      const o = overlaps(e)[0] ?? {};
      return `Giảng viên dạy "${str(o.classTitle)}" (${str(o.venue)}, ${at(o.startsAt)}) và "${str(o.otherClassTitle)}" (${str(o.otherVenue)}, ${at(o.otherStartsAt)}), trùng ${n(o.minutes)} phút.`;
    }
    case 'shared_phone':
      return `Số điện thoại đuôi …${str(e.phoneEnding)} được dùng để tự điểm danh cho ${n(e.learners)} học viên (ngưỡng ${n(e.threshold)}).`;
    case 'session_outside_program':
      return `Có buổi học có điểm danh ngoài thời gian chương trình (${str(e.programStartsOn)} – ${str(e.programEndsOn)}).`;
    case 'segment_mismatch':
      return `${n(e.outside)}/${n(e.attendees)} học viên có mặt (${pct(e.share)}) không thuộc đối tượng của lớp (ngưỡng ${pct(e.threshold)}).`;
    case 'commune_mismatch':
      return `${n(e.outside)}/${n(e.attendees)} học viên có mặt (${pct(e.share)}) cư trú ngoài địa bàn của lớp (ngưỡng ${pct(e.threshold)}).`;
    case 'completion_without_learning':
      return `Đối tác ${str(e.partnerName)}: ${n(e.withoutLearning)}/${n(e.completions)} lượt hoàn thành (${pct(e.share)}) không có bài học nào (chương trình cho phép ${pct(e.threshold)}).`;
  }
}
