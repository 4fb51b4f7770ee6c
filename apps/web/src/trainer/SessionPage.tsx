import { Link, useParams } from 'react-router';
import { Empty, ErrorState, Loading, Page } from '../ui';
import { MARK_LABEL, MARKS, RESULT_LABEL } from './labels';
import { latestMarks, queueMark, type MarkStatus, type OutboxMark } from './outbox';
import { useClass, useSheet } from './queries';
import { syncNow, useSyncState } from './sync';
import { span, vnWeekday } from './time';

interface Row {
  personId: string;
  fullName: string;
  birthYear: number;
  walkIn: boolean;
  local: boolean;
  server: MarkStatus | null;
  version: number;
  method: string | null;
}

/** What the server said about the phone's latest mark, when it was not simply written. */
function Answer({ mark }: { mark: OutboxMark }) {
  const a = mark.answer;
  if (!a) return null;
  const result = a.result === 'duplicate' ? (a.earlierResult ?? a.result) : a.result;
  if (result === 'applied' || result === 'applied_over') return null;
  return (
    <p className={result === 'conflict' ? 'answer conflict' : 'answer'} data-testid="answer">
      <strong>{RESULT_LABEL[result] ?? result}</strong>
      {a.current && (
        <>
          {' '}
          — máy chủ giữ: {MARK_LABEL[a.current.status] ?? a.current.status}
          {a.current.method === 'qr' ? ' (học viên tự điểm danh bằng mã QR)' : ''}
        </>
      )}
      {a.reason && <span className="answer-reason">{a.reason}</span>}
    </p>
  );
}

export default function SessionPage() {
  const { id = '', sessionId = '' } = useParams();
  const c = useClass(id);
  const sync = useSyncState();
  // Check-ins by QR arrive while the trainer looks at the list.
  const sheet = useSheet(id, sync.online ? 10_000 : undefined);
  if (c.isPending || sheet.isPending) return <Loading />;
  if (c.isError || sheet.isError)
    return (
      <Page title="Điểm danh">
        <ErrorState error={c.error ?? sheet.error} />
        <p>
          <Link to="/lop">Về danh sách lớp</Link>
        </p>
      </Page>
    );
  const session = c.data.sessions.find((s) => s.id === sessionId);
  if (!session)
    return (
      <Page title="Điểm danh">
        <Empty>Không tìm thấy buổi học này.</Empty>
      </Page>
    );

  const outbox = latestMarks(sync.items);
  const rows: Row[] = sheet.data.rows
    .filter((r) => r.status !== 'withdrawn')
    .map((r) => ({
      personId: r.person.id,
      fullName: r.person.fullName,
      birthYear: r.person.birthYear,
      walkIn: r.walkIn,
      local: false,
      server: r.marks[sessionId] ?? null,
      version: r.versions[sessionId] ?? 0,
      method: r.methods[sessionId] ?? null,
    }));
  const known = new Set(rows.map((r) => r.personId));
  for (const item of sync.items) {
    if (item.kind !== 'walkin' || item.classId !== id || item.error) continue;
    const personId = item.personId ?? item.localPersonId;
    if (known.has(personId)) continue;
    known.add(personId);
    rows.push({
      personId,
      fullName: item.fullName,
      birthYear: item.birthYear,
      walkIn: true,
      local: !item.sent,
      server: null,
      version: 0,
      method: null,
    });
  }

  const shown = (r: Row) => {
    const mark = outbox.get(`${sessionId}|${r.personId}`);
    return mark && !mark.sent ? mark.status : r.server;
  };
  const present = rows.filter((r) => ['present', 'late'].includes(shown(r) ?? '')).length;
  const marked = rows.filter((r) => shown(r)).length;

  async function mark(r: Row, status: MarkStatus) {
    const latest = outbox.get(`${sessionId}|${r.personId}`);
    // After a conflict the phone has seen what the server keeps: marking again names that version.
    const base =
      latest?.answer?.current && latest.answer.result !== 'applied'
        ? latest.answer.current.version
        : r.version;
    await queueMark({
      classId: id,
      sessionId,
      personId: r.personId,
      status,
      baseVersion: Math.max(base, r.version),
    });
    void syncNow();
  }

  return (
    <Page title={`Điểm danh buổi ${session.position}`}>
      <div data-ready="true">
        <p className="class-meta">
          <Link to={`/lop/${id}`}>{c.data.title}</Link> · {vnWeekday(session.startsAt)},{' '}
          {span(session.startsAt, session.endsAt)}
        </p>
        <p className="tally" aria-live="polite" data-testid="tally">
          Có mặt {present}/{rows.length} · đã điểm danh {marked}/{rows.length}
        </p>
        <div className="form-actions">
          <Link className="button secondary" to={`/lop/${id}/buoi/${sessionId}/qr`}>
            Mở mã QR cho học viên tự điểm danh
          </Link>
          <Link className="button secondary" to={`/lop/${id}`}>
            Thêm học viên
          </Link>
        </div>
        {!rows.length && <Empty>Lớp chưa có học viên. Hãy thêm học viên trước.</Empty>}
        <ul className="marks">
          {rows.map((r) => {
            const current = shown(r);
            const latest = outbox.get(`${sessionId}|${r.personId}`);
            return (
              <li key={r.personId} data-testid="mark-row">
                <div className="mark-who">
                  <strong>{r.fullName}</strong> <span className="muted">({r.birthYear})</span>
                  {r.walkIn && <span className="badge">Đến trực tiếp</span>}
                  {r.method === 'qr' && (!latest || latest.sent) && (
                    <span className="badge ok">Đã quét QR</span>
                  )}
                  {latest && !latest.sent && <span className="badge">Chờ gửi</span>}
                </div>
                <div className="mark-buttons" role="group" aria-label={`Điểm danh ${r.fullName}`}>
                  {MARKS.map((m) => (
                    <button
                      key={m.status}
                      type="button"
                      className={`mark mark-${m.status}`}
                      aria-pressed={current === m.status}
                      onClick={() => void mark(r, m.status)}
                    >
                      {m.short}
                    </button>
                  ))}
                </div>
                {latest?.sent && <Answer mark={latest} />}
              </li>
            );
          })}
        </ul>
      </div>
    </Page>
  );
}
