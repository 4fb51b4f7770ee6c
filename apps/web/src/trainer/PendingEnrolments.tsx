import type { PersonHit } from './offline-people';
import type { OutboxWalkIn } from './outbox';
import { resolveSimilar } from './sync';

/** Likely duplicates of a person being registered, each with the button to enrol that one instead. */
export function SimilarPeople({ people, onChoose }: { people: PersonHit[]; onChoose: (id: string) => void }) {
  return (
    <ul className="hits">
      {people.map((p) => (
        <li key={p.id}>
          <span>
            {p.fullName} ({p.birthYear}) — {p.commune.fullName}
            {p.phone ? ` · ${p.phone}` : ''}
            {p.cccd ? ` · CCCD ${p.cccd}` : ''}
          </span>
          <button type="button" className="button small" onClick={() => onChoose(p.id)}>
            Ghi danh người này <span className="sr-only">{p.fullName}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

const MODE_LABEL: Record<string, string> = {
  walkin: 'Đến trực tiếp',
  register: 'Đăng ký mới',
  enrol: 'Ghi danh',
};

/**
 * The enrolments made on this phone that the server does not hold yet: waiting for the network, waiting
 * for the trainer's choice after the duplicate check at sync, or refused (with the server's reason).
 */
export function PendingEnrolments({ items }: { items: OutboxWalkIn[] }) {
  return (
    <>
      {items.map((w) => (
        <li key={w.clientId} data-testid="pending-enrolment">
          <span>
            <strong>{w.fullName}</strong> ({w.birthYear}){' '}
            <span className="badge">{MODE_LABEL[w.mode ?? 'walkin']}</span>{' '}
            {w.error ? (
              <span className="badge warn">Không ghi danh được: {w.error}</span>
            ) : (
              <span className="badge">Chờ gửi</span>
            )}
          </span>
          {!w.sent && w.similar?.length && !w.choice ? (
            <div className="notice warn" role="alert">
              <p>
                <strong>Khi gửi, máy chủ có người có thể trùng</strong> (cùng CCCD, cùng số điện thoại, hoặc
                cùng họ tên, năm sinh và xã). Chọn người đúng, hoặc vẫn đăng ký người mới:
              </p>
              <SimilarPeople
                people={w.similar.map((p) => ({ ...p, commune: { fullName: p.commune } }))}
                onChoose={(id) => void resolveSimilar(w, id)}
              />
              <button
                type="button"
                className="button secondary small"
                onClick={() => void resolveSimilar(w, 'new')}
              >
                Vẫn đăng ký người mới <span className="sr-only">{w.fullName}</span>
              </button>
            </div>
          ) : null}
        </li>
      ))}
    </>
  );
}
