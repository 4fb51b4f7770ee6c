import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { Link, useParams } from 'react-router';
import { api, data } from '../api';
import { ErrorState, Loading } from '../ui';
import { useSheet } from './queries';

/** The rotating QR code of a session, full screen, with the count of learners who checked in. */
export default function CheckinPage() {
  const { id = '', sessionId = '' } = useParams();
  const token = useQuery({
    queryKey: ['checkin', id, sessionId],
    queryFn: () =>
      data(
        api.GET('/api/v1/classes/{id}/sessions/{sessionId}/checkin', { params: { path: { id, sessionId } } }),
      ),
    refetchInterval: (q) => Math.max(5, q.state.data?.refreshAfterSeconds ?? 25) * 1000,
    gcTime: 0,
  });
  const sheet = useSheet(id, 5_000);
  const screen = useRef<HTMLDivElement>(null);
  const rows = sheet.data?.rows.filter((r) => r.status !== 'withdrawn') ?? [];
  const checkedIn = rows.filter((r) => r.methods[sessionId] === 'qr').length;
  const present = rows.filter((r) => ['present', 'late'].includes(r.marks[sessionId] ?? '')).length;
  return (
    <div className="checkin-screen" ref={screen}>
      <h1>Quét mã để điểm danh</h1>
      {token.isPending && <Loading label="Đang lấy mã…" />}
      {token.isError && <ErrorState error={token.error} onRetry={() => void token.refetch()} />}
      {token.data && (
        <div data-ready="true">
          {token.data.sessionOpen ? (
            <img
              className="qr"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(token.data.svg)}`}
              alt="Mã QR điểm danh của buổi học; học viên quét bằng điện thoại của mình"
            />
          ) : (
            <p className="notice">Buổi học chưa đến giờ hoặc đã kết thúc: chưa mở điểm danh bằng mã QR.</p>
          )}
          <p className="checkin-count" aria-live="polite" data-testid="checkin-count">
            {checkedIn} người đã tự điểm danh · có mặt {present}/{rows.length}
          </p>
          <p className="muted">Mã tự đổi khoảng 30 giây một lần; ảnh chụp mã cũ không dùng được.</p>
        </div>
      )}
      <div className="form-actions">
        {document.fullscreenEnabled && (
          <button
            type="button"
            className="button primary"
            onClick={() =>
              void (document.fullscreenElement
                ? document.exitFullscreen()
                : screen.current?.requestFullscreen().catch(() => undefined))
            }
          >
            Toàn màn hình
          </button>
        )}
        <Link className="button secondary" to={`/lop/${id}/buoi/${sessionId}`}>
          Về danh sách điểm danh
        </Link>
      </div>
    </div>
  );
}
