/** The learner segments every program has (DESIGN §2); a program may add its own. */
export const SEGMENTS = {
  civil_servant: 'Cán bộ, công chức, viên chức',
  farmer: 'Nông dân',
  youth: 'Thanh niên',
  student: 'Học sinh, sinh viên',
  women: 'Phụ nữ',
  business_owner: 'Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh',
  worker: 'Công nhân, người lao động',
  elderly: 'Người cao tuổi',
  other: 'Khác',
} as const;

export type StandardSegment = keyof typeof SEGMENTS;
export const STANDARD_SEGMENTS = Object.keys(SEGMENTS) as StandardSegment[];
