/** How the dashboard groups the indicators the API computes (any other code lands in "Khác"). */
export const INDICATOR_GROUPS: { title: string; codes: string[] }[] = [
  {
    title: 'Người học',
    codes: ['learners_reached', 'completions', 'proficient_learners', 'certificates_issued'],
  },
  {
    title: 'Theo đối tượng và dân số',
    codes: ['civil_servants_reached', 'working_age_reached', 'enterprise_owners_reached'],
  },
  {
    title: 'Lực lượng giảng viên',
    codes: ['core_members', 'provincial_core_trainers', 'commune_core_trainers', 'trainers_on_pace'],
  },
  { title: 'Lớp học và học liệu', codes: ['classes_held', 'materials_published'] },
  { title: 'Hội thi', codes: ['contest_entries', 'contest_winners'] },
];

export const REPORTED_GROUP = 'Theo báo cáo của các đơn vị';
export const OTHER_GROUP = 'Khác';

export const VIEW_NAMES = {
  recorded: 'theo địa bàn lúc ghi nhận',
  current: 'theo địa giới hiện nay',
} as const;
