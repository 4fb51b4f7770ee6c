/** The patterns flagged, each with its default threshold and severity (a program can set its own). */
export const FLAG_PATTERNS = [
  'backfilled',
  'device_clock',
  'marked_at_once',
  'identical_sessions',
  'person_two_places',
  'trainer_two_places',
  'shared_phone',
  'session_outside_program',
  'segment_mismatch',
  'commune_mismatch',
  'completion_without_learning',
] as const;
export type FlagPattern = (typeof FLAG_PATTERNS)[number];

export const FLAG_SEVERITIES = ['low', 'medium', 'high'] as const;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[number];

/** `resolved`: closed by itself when a correction of its records left no evidence (never a reviewer's decision). */
export const FLAG_STATUSES = ['open', 'cleared', 'excluded', 'resolved'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export interface PatternDefinition {
  /** Vietnamese name, as reviewers read it. */
  label: string;
  /** What the threshold measures, in Vietnamese. */
  threshold: string;
  defaultThreshold: number;
  defaultSeverity: FlagSeverity;
}

/**
 * Below these many people a group pattern says nothing: a class of five all present at once, or five
 * learners of another segment, is ordinary.
 */
export const MIN_GROUP = 10;
export const MIN_SHARE_GROUP = 5;
/** A partner's share of completions without learning is judged from this many completions on. */
export const MIN_PARTNER_COMPLETIONS = 10;

export const PATTERNS: Record<FlagPattern, PatternDefinition> = {
  backfilled: {
    label: 'Điểm danh nhập muộn sau buổi học',
    threshold: 'số giờ từ khi buổi học kết thúc đến khi máy chủ nhận điểm danh',
    defaultThreshold: 72,
    defaultSeverity: 'medium',
  },
  device_clock: {
    label: 'Giờ trên thiết bị lệch xa giờ máy chủ nhận',
    threshold: 'số giờ chênh giữa giờ ghi trên thiết bị và giờ máy chủ nhận (điểm danh ngoại tuyến)',
    defaultThreshold: 48,
    defaultSeverity: 'low',
  },
  marked_at_once: {
    label: 'Cả lớp được điểm danh có mặt trong vài giây',
    threshold: 'số giây giữa điểm danh đầu và cuối của buổi học',
    defaultThreshold: 10,
    defaultSeverity: 'low',
  },
  identical_sessions: {
    label: 'Mọi buổi học có danh sách có mặt giống hệt nhau',
    threshold: 'số học viên có mặt tối thiểu để xét',
    defaultThreshold: 10,
    defaultSeverity: 'low',
  },
  person_two_places: {
    label: 'Một người có mặt ở hai lớp trùng giờ',
    threshold: 'số phút trùng nhau tối thiểu',
    defaultThreshold: 1,
    defaultSeverity: 'high',
  },
  trainer_two_places: {
    label: 'Giảng viên dạy hai buổi trùng giờ ở hai nơi',
    threshold: 'số phút trùng nhau tối thiểu',
    defaultThreshold: 1,
    defaultSeverity: 'high',
  },
  shared_phone: {
    label: 'Một số điện thoại dùng để tự điểm danh cho nhiều học viên',
    threshold: 'số học viên tự điểm danh bằng cùng một số điện thoại',
    defaultThreshold: 3,
    defaultSeverity: 'medium',
  },
  session_outside_program: {
    label: 'Buổi học ngoài thời gian của chương trình',
    threshold: 'số ngày cho phép trước khi bắt đầu hoặc sau khi kết thúc chương trình',
    defaultThreshold: 0,
    defaultSeverity: 'medium',
  },
  segment_mismatch: {
    label: 'Nhiều học viên ngoài đối tượng của lớp',
    threshold: 'tỷ lệ học viên có mặt không thuộc đối tượng của lớp (0–1)',
    defaultThreshold: 0.5,
    defaultSeverity: 'low',
  },
  commune_mismatch: {
    label: 'Nhiều học viên cư trú ngoài địa bàn của lớp',
    threshold: 'tỷ lệ học viên có mặt cư trú ngoài địa bàn của lớp (0–1)',
    defaultThreshold: 0.8,
    defaultSeverity: 'low',
  },
  completion_without_learning: {
    label: 'Hoàn thành do đối tác gửi mà không có bài học nào',
    threshold: 'tỷ lệ hoàn thành không có bài học mà chương trình cho phép (0–1)',
    defaultThreshold: 0.3,
    defaultSeverity: 'medium',
  },
};

export const STATUS_LABELS: Record<FlagStatus, string> = {
  open: 'Chờ xem xét',
  cleared: 'Đã xác nhận hợp lệ',
  excluded: 'Đã loại khỏi số liệu',
  resolved: 'Tự đóng vì dữ liệu đã được sửa',
};

/** The reason kept on a flag that closed itself (status `resolved`), and in its audit entry. */
export const RESOLVED_REASON = 'Tự đóng: sau khi dữ liệu được sửa, không còn dấu hiệu của cảnh báo này.';

/** The reason kept in the audit trail when a flag that had closed itself opens again (its evidence is back). */
export const RERAISED_REASON = 'Mở lại: dữ liệu mới lại có dấu hiệu của cảnh báo này.';

export const SEVERITY_LABELS: Record<FlagSeverity, string> = {
  low: 'Thấp',
  medium: 'Trung bình',
  high: 'Cao',
};

/** The defaults as the detector's SQL reads them (jsonb_to_recordset). */
export const DEFAULTS_JSON = JSON.stringify(
  FLAG_PATTERNS.map((pattern) => ({
    pattern,
    threshold: PATTERNS[pattern].defaultThreshold,
    severity: PATTERNS[pattern].defaultSeverity,
  })),
);
