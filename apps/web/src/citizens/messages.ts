/** The citizens' page speaks plainly: short sentences, no jargon. */
export const SIGN_IN_ERRORS: Record<string, string> = {
  OIDC_STATE_MISMATCH: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng bấm đăng nhập lại.',
  OIDC_DENIED: 'Bạn đã hủy đăng nhập.',
  OIDC_TOKEN_INVALID: 'Không xác nhận được đăng nhập. Vui lòng thử lại.',
  OIDC_ACR_TOO_LOW: 'Tài khoản định danh cần ở mức 2 trở lên để đăng nhập.',
  OIDC_PROVIDER_UNAVAILABLE: 'Hệ thống định danh đang bận. Vui lòng thử lại sau ít phút.',
};

export const VENUES: Record<string, string> = {
  cultural_house: 'Nhà văn hóa',
  library: 'Thư viện',
  community_learning_centre: 'Trung tâm học tập cộng đồng',
  commune_committee: 'UBND xã, phường',
  school: 'Trường học',
  online: 'Học trực tuyến',
  other: 'Địa điểm khác',
};

export const ATTENDANCE: Record<string, string> = {
  present: 'Có mặt',
  late: 'Đến muộn',
  excused: 'Vắng có phép',
  absent: 'Vắng',
};
