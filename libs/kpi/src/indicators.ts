import { SEGMENTS } from '../../people/src';

/** The KPI indicators Lan Tỏa computes from records, and how each is named, counted and drilled into. */
export const COMPUTED_INDICATORS = {
  provincial_core_trainers: { name: 'Giảng viên nòng cốt cấp tỉnh', unit: 'người' },
  commune_core_trainers: { name: 'Giảng viên nòng cốt cấp xã', unit: 'người' },
  core_members: { name: 'Lực lượng nòng cốt (giảng viên nòng cốt cấp tỉnh và cấp xã)', unit: 'người' },
  classes_held: { name: 'Lớp học đã tổ chức', unit: 'lớp' },
  learners_reached: { name: 'Người học được tiếp cận', unit: 'người' },
  completions: { name: 'Người hoàn thành khóa học', unit: 'người' },
  certificates_issued: { name: 'Giấy chứng nhận đã cấp', unit: 'giấy' },
  proficient_learners: { name: 'Người ứng dụng được ít nhất một công cụ AI', unit: 'người' },
  learners_reached_online: {
    name: 'Người học được tiếp cận qua học trực tuyến / đối tác',
    unit: 'người',
  },
  completions_online: { name: 'Người hoàn thành qua học trực tuyến / đối tác', unit: 'người' },
  civil_servants_reached: {
    name: 'Cán bộ, công chức, viên chức được tiếp cận',
    unit: 'người',
    population: 'civil_servants',
  },
  working_age_reached: {
    name: 'Người trong độ tuổi lao động được tiếp cận',
    unit: 'người',
    population: 'working_age',
  },
  enterprise_owners_reached: {
    name: 'Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh được tiếp cận',
    unit: 'người',
    population: 'enterprise_owners',
  },
  materials_published: { name: 'Học liệu đã công bố', unit: 'học liệu' },
  trainers_on_pace: { name: 'Giảng viên đúng tiến độ chỉ tiêu', unit: 'người' },
  contest_entries: { name: 'Bài dự thi các hội thi', unit: 'bài' },
  contest_winners: { name: 'Bài đạt giải các hội thi (đã công bố kết quả)', unit: 'bài' },
} as const satisfies Record<string, { name: string; unit: string; population?: string }>;

export type ComputedIndicator = keyof typeof COMPUTED_INDICATORS;
export const COMPUTED_CODES = Object.keys(COMPUTED_INDICATORS) as ComputedIndicator[];

/** Figures taken from approved progress reports (plus the program's own, as reported_<code>). */
export const REPORTED_INDICATORS = {
  reported_headcount: { name: 'Tổng số người (theo báo cáo)', unit: 'người' },
  reported_trained: { name: 'Số người đã được tập huấn (theo báo cáo)', unit: 'người' },
  reported_proficient: { name: 'Số người thành thạo (theo báo cáo)', unit: 'người' },
} as const;

/** Indicators counted over distinct people in the KPI facts (attributed to the units their classes roll up to). */
export const PEOPLE_INDICATORS: ComputedIndicator[] = [
  'learners_reached',
  'completions',
  'proficient_learners',
  'learners_reached_online',
  'completions_online',
  'civil_servants_reached',
  'working_age_reached',
  'enterprise_owners_reached',
];

/** Trainer indicators: a stock of active trainers registered by the period's end (months show newcomers). */
export const CORE_TRAINER_INDICATORS: Record<string, string[]> = {
  provincial_core_trainers: ['provincial_core'],
  commune_core_trainers: ['commune_core'],
  core_members: ['provincial_core', 'commune_core'],
};

/** People indicators that can have a target per learner segment, and the segment count each reads. */
export const SEGMENT_MEASURES: Record<string, 'reached' | 'completed' | 'proficient'> = {
  learners_reached: 'reached',
  completions: 'completed',
  proficient_learners: 'proficient',
};

export const TARGETABLE_CODES: string[] = [...COMPUTED_CODES, ...Object.keys(REPORTED_INDICATORS)];

/** The names of a program's learner segments: the standard ones and the program's own. */
export function segmentNames(program: {
  extraSegments: { code: string; name: string }[];
}): Record<string, string> {
  return { ...SEGMENTS, ...Object.fromEntries(program.extraSegments.map((s) => [s.code, s.name])) };
}

/**
 * Contest figures: entries of the program's contests whose last day falls in the period, counted at the
 * entrant's unit (a person's commune, a trainer's home unit, a class's or an organisation's unit); winners
 * are the entries ranked within a published contest's prizes.
 */
export const CONTEST_INDICATORS = ['contest_entries', 'contest_winners'] as const;
