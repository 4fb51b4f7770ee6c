import { Link } from 'react-router';
import { Empty, ErrorState, Loading, Page } from '../ui';
import { CLASS_STATUS } from './labels';
import { useMyClasses, type ClassItem } from './queries';
import { span, vnDay, vnWeekday } from './time';

/** Today's sessions first, then classes still to come (nearest first), then the rest (newest first). */
export function orderClasses(
  classes: ClassItem[],
  today: string,
): { today: ClassItem[]; coming: ClassItem[]; other: ClassItem[] } {
  const live = (c: ClassItem) => c.status !== 'cancelled' && c.status !== 'completed';
  const todays = classes.filter((c) => live(c) && c.sessions.some((s) => vnDay(s.startsAt) === today));
  const next = (c: ClassItem) => c.sessions.find((s) => vnDay(s.startsAt) >= today)?.startsAt ?? '9999';
  const coming = classes
    .filter((c) => live(c) && !todays.includes(c))
    .sort((a, b) => next(a).localeCompare(next(b)));
  const last = (c: ClassItem) => c.sessions.at(-1)?.startsAt ?? '';
  const other = classes.filter((c) => !live(c)).sort((a, b) => last(b).localeCompare(last(a)));
  return { today: todays, coming, other };
}

function ClassCard({ c, today }: { c: ClassItem; today: string }) {
  const session =
    c.sessions.find((s) => vnDay(s.startsAt) === today) ?? c.sessions.find((s) => vnDay(s.startsAt) >= today);
  return (
    <li className="class-card">
      <h3>
        <Link to={`/lop/${c.id}`}>{c.title}</Link>
      </h3>
      <p className="class-meta">
        <span className={c.status === 'completed' ? 'badge ok' : 'badge'}>{CLASS_STATUS[c.status]}</span>{' '}
        {c.unit.fullName} · {c.enrolledCount}/{c.capacity} học viên
      </p>
      {session && (
        <p className="class-meta">
          Buổi {session.position}: {vnWeekday(session.startsAt)}, {span(session.startsAt, session.endsAt)}
        </p>
      )}
      {session && vnDay(session.startsAt) === today && (
        <Link className="button primary" to={`/lop/${c.id}/buoi/${session.id}`}>
          Điểm danh buổi {session.position}
        </Link>
      )}
    </li>
  );
}

export default function MyClassesPage() {
  const classes = useMyClasses();
  const today = vnDay(new Date());
  return (
    <Page
      title="Lớp của tôi"
      actions={
        <Link className="button primary" to="/lop/moi">
          Mở lớp mới
        </Link>
      }
    >
      {classes.isPending && <Loading />}
      {classes.isError && <ErrorState error={classes.error} onRetry={() => void classes.refetch()} />}
      {classes.data && (
        <div data-ready="true">
          {(() => {
            const groups = orderClasses(classes.data.items, today);
            if (!classes.data.items.length) return <Empty>Chưa có lớp nào. Hãy mở lớp đầu tiên.</Empty>;
            return (
              <>
                <h2>Hôm nay</h2>
                {groups.today.length ? (
                  <ul className="class-list">
                    {groups.today.map((c) => (
                      <ClassCard key={c.id} c={c} today={today} />
                    ))}
                  </ul>
                ) : (
                  <Empty>Hôm nay không có buổi học.</Empty>
                )}
                {groups.coming.length > 0 && (
                  <>
                    <h2>Sắp tới và đang học</h2>
                    <ul className="class-list">
                      {groups.coming.map((c) => (
                        <ClassCard key={c.id} c={c} today={today} />
                      ))}
                    </ul>
                  </>
                )}
                {groups.other.length > 0 && (
                  <>
                    <h2>Đã kết thúc hoặc đã hủy</h2>
                    <ul className="class-list">
                      {groups.other.map((c) => (
                        <ClassCard key={c.id} c={c} today={today} />
                      ))}
                    </ul>
                  </>
                )}
              </>
            );
          })()}
        </div>
      )}
    </Page>
  );
}
