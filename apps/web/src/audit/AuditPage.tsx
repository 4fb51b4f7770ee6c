import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, data } from '../api';
import { QueryProblem } from '../campaign';
import { Empty, formatDateTime, Loading, Page, Pager, SelectField, TextField } from '../ui';

const ENTITY_TYPES: [string, string][] = [
  ['', 'Tất cả'],
  ['user', 'Người dùng'],
  ['session', 'Phiên đăng nhập'],
  ['person', 'Người học'],
  ['trainer', 'Giảng viên'],
  ['class', 'Lớp học'],
  ['attendance', 'Điểm danh'],
  ['certificate', 'Giấy chứng nhận'],
  ['target', 'Chỉ tiêu'],
  ['enrolment', 'Ghi danh'],
  ['progress_report', 'Báo cáo tiến độ'],
  ['organisation', 'Cơ quan, tổ chức'],
  ['population', 'Số liệu dân số'],
  ['program', 'Chương trình'],
];

const ACTIONS: Record<string, string> = {
  'auth.login': 'Đăng nhập',
  'auth.logout': 'Đăng xuất',
  'auth.login_failed': 'Đăng nhập sai',
  'auth.password_changed': 'Đổi mật khẩu',
  'target.created': 'Đặt chỉ tiêu',
  'target.updated': 'Sửa chỉ tiêu',
  'target.split': 'Chia chỉ tiêu',
  'target.deleted': 'Xóa chỉ tiêu',
  'report.created': 'Lập báo cáo',
  'report.updated': 'Sửa báo cáo',
  'report.submitted': 'Nộp báo cáo',
  'report.approved': 'Duyệt báo cáo',
  'report.returned': 'Trả lại báo cáo',
  'report.reopened': 'Mở lại báo cáo',
  'report.level_approved': 'Duyệt báo cáo ở một cấp',
};

interface Filters {
  entityType: string;
  action: string;
  from: string;
  to: string;
}

/** A day typed as YYYY-MM-DD, as the instant it starts in Vietnam. */
function vietnamMidnight(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00+07:00` : undefined;
}

export default function AuditPage() {
  const [draft, setDraft] = useState<Filters>({ entityType: '', action: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [offset, setOffset] = useState(0);
  const list = useQuery({
    queryKey: ['audit', filters, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/audit', {
          params: {
            query: {
              limit: 50,
              offset,
              ...(filters.entityType ? { entityType: filters.entityType } : {}),
              ...(filters.action ? { action: filters.action.trim() } : {}),
              ...(vietnamMidnight(filters.from) ? { from: vietnamMidnight(filters.from) } : {}),
              ...(vietnamMidnight(filters.to) ? { to: vietnamMidnight(filters.to) } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setOffset(0);
    setFilters(draft);
  }
  return (
    <Page title="Nhật ký thao tác">
      <form className="card" onSubmit={submit}>
        <div className="form-row">
          <SelectField
            label="Đối tượng"
            value={draft.entityType}
            onChange={(e) => setDraft({ ...draft, entityType: e.target.value })}
          >
            {ENTITY_TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Thao tác (mã)"
            value={draft.action}
            placeholder="ví dụ: report.approved"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
          <TextField
            label="Từ ngày"
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
          <TextField
            label="Đến ngày (không tính)"
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <button type="submit" className="button primary">
          Lọc
        </button>
      </form>
      {list.isError ? (
        <QueryProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>Không có thao tác nào khớp bộ lọc.</Empty>
      ) : (
        <div data-ready="true">
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Nhật ký thao tác">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Thời điểm</th>
                  <th scope="col">Người thực hiện</th>
                  <th scope="col">Thao tác</th>
                  <th scope="col">Đối tượng</th>
                  <th scope="col">Địa chỉ IP</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">{formatDateTime(e.at)}</th>
                    <td>{e.actorLogin ?? e.actorName ?? 'Hệ thống'}</td>
                    <td>
                      {ACTIONS[e.action] ?? e.action}
                      {ACTIONS[e.action] && <div className="muted mono">{e.action}</div>}
                    </td>
                    <td>
                      {ENTITY_TYPES.find(([t]) => t === e.entityType)?.[1] ?? e.entityType}
                      {e.entityId && <div className="muted mono">{e.entityId}</div>}
                    </td>
                    <td className="mono">{e.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={list.data} onChange={setOffset} />
        </div>
      )}
    </Page>
  );
}
