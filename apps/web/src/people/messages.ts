export const GENDER_NAMES: Record<string, string> = { male: 'Nam', female: 'Nữ', other: 'Khác' };
