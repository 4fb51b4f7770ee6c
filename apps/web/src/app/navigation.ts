import type { Me, Role } from '../auth';

export interface NavItem {
  to: string;
  label: string;
  roles: Role[];
  /** The page reads the campaign (program, unit, period, view) from the URL: links carry it along. */
  campaign?: boolean;
}

const STEERING: Role[] = ['admin', 'steering', 'viewer'];

/** Menu entries; each page shows only to the roles whose API answers it (the server checks again). */
export const NAV: NavItem[] = [
  { to: '/don-vi', label: 'Đơn vị của tôi', roles: ['department_head'] },
  { to: '/bao-cao-don-vi', label: 'Báo cáo của đơn vị', roles: ['department_head'] },
  { to: '/tong-quan', label: 'Tổng quan', roles: STEERING, campaign: true },
  { to: '/giang-vien', label: 'Giảng viên', roles: STEERING, campaign: true },
  { to: '/chi-tieu', label: 'Chỉ tiêu', roles: STEERING, campaign: true },
  { to: '/ke-hoach', label: 'Kế hoạch', roles: STEERING, campaign: true },
  { to: '/bao-cao', label: 'Báo cáo tiến độ', roles: ['admin', 'steering', 'viewer'], campaign: true },
  { to: '/hoi-thi', label: 'Hội thi', roles: STEERING, campaign: true },
  { to: '/canh-bao', label: 'Cảnh báo dữ liệu', roles: STEERING, campaign: true },
  { to: '/xuat-bao-cao', label: 'Xuất báo cáo', roles: STEERING, campaign: true },
  { to: '/nhat-ky', label: 'Nhật ký thao tác', roles: ['admin', 'steering'] },
  { to: '/quan-tri/tai-khoan', label: 'Tài khoản và vai trò', roles: ['admin', 'steering'] },
  { to: '/quan-tri/don-vi-hanh-chinh', label: 'Đơn vị hành chính', roles: ['admin'] },
  { to: '/quan-tri/dan-so', label: 'Số liệu dân số', roles: ['admin', 'steering'] },
  { to: '/quan-tri/co-quan', label: 'Cơ quan, đơn vị', roles: ['admin', 'steering'] },
  { to: '/quan-tri/chuong-trinh', label: 'Chương trình', roles: ['admin', 'steering'] },
  { to: '/quan-tri/nhap-du-lieu', label: 'Nhập dữ liệu từ Excel', roles: ['admin'] },
  { to: '/quan-tri/tac-vu', label: 'Tác vụ nền', roles: ['admin', 'steering', 'viewer'] },
  { to: '/chu-ky', label: 'Chữ ký trên giấy chứng nhận', roles: ['admin', 'steering'] },
  { to: '/lop', label: 'Lớp học', roles: ['trainer', 'steering', 'admin'] },
  { to: '/tiep-can', label: 'Tiếp cận của tôi', roles: ['trainer'] },
];

export function navFor(me: Me): NavItem[] {
  return NAV.filter((item) => me.assignments.some((a) => item.roles.includes(a.role)));
}
