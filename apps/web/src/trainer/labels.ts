import { SEGMENTS as STANDARD_NAMES } from '@lantoa/segments';
import type { MarkStatus } from './outbox';

export { CLASS_STATUS } from '../ui';

export const MARKS: { status: MarkStatus; label: string; short: string }[] = [
  { status: 'present', label: 'Có mặt', short: 'Có mặt' },
  { status: 'late', label: 'Đi muộn', short: 'Muộn' },
  { status: 'excused', label: 'Vắng có phép', short: 'Có phép' },
  { status: 'absent', label: 'Vắng', short: 'Vắng' },
];

export const MARK_LABEL: Record<string, string> = Object.fromEntries(MARKS.map((m) => [m.status, m.label]));

export const CLASS_KIND: Record<string, string> = {
  citizen: 'Lớp cho người dân',
  training_of_trainers: 'Lớp đào tạo giảng viên',
};

export const VENUES: Record<string, string> = {
  cultural_house: 'Nhà văn hóa',
  library: 'Thư viện',
  community_learning_centre: 'Trung tâm học tập cộng đồng',
  commune_committee: 'Trụ sở UBND xã',
  school: 'Trường học',
  online: 'Trực tuyến',
  other: 'Nơi khác',
};

export const MODES: Record<string, string> = {
  in_person: 'Trực tiếp',
  online: 'Trực tuyến',
  blended: 'Kết hợp',
};

/** The learner segments every program has: the backend's own list (libs/people/src/segments.ts). */
export const SEGMENTS: Record<string, string> = STANDARD_NAMES;

export const RESULT_LABEL: Record<string, string> = {
  applied: 'Đã ghi',
  applied_over: 'Đã ghi (thay điểm danh trước)',
  duplicate: 'Đã có trên máy chủ',
  stale: 'Không ghi: đã có điểm danh mới hơn',
  conflict: 'Xung đột',
  superseded: 'Thay bằng lần bấm sau',
  rejected: 'Bị từ chối',
};
