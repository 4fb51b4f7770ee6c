export const TIER_NAMES: Record<string, string> = {
  provincial_core: 'Nòng cốt cấp tỉnh',
  commune_core: 'Nòng cốt cấp xã',
  organisation: 'Của cơ quan, tổ chức',
};
