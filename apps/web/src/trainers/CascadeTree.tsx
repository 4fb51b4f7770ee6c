import { useState } from 'react';
import { Empty, ErrorState, formatNumber, Loading } from '../ui';
import { TIER_NAMES } from './messages';
import { useReach, useRootTrainers, useTrainees } from './queries';

interface TrainerNode {
  id: string;
  person: { fullName: string };
  tier: string;
  homeUnit: { fullName: string };
  generation: number;
  directReach: number;
}

function CascadeFigure({ programId, trainerId }: { programId: string; trainerId: string }) {
  const reach = useReach(programId, trainerId);
  if (!reach.data) return <span className="muted">…</span>;
  return (
    <span>
      cả cây <strong>{formatNumber(reach.data.cascadeReach)}</strong> người,{' '}
      {formatNumber(reach.data.downstreamTrainers)} giảng viên bên dưới
    </span>
  );
}

function Node({ programId, trainer }: { programId: string; trainer: TrainerNode }) {
  const [open, setOpen] = useState(false);
  const trainees = useTrainees(programId, trainer.id, open);
  // A trainer who trained nobody is a leaf: nothing to open.
  const leaf = useReach(programId, trainer.id).data?.downstreamTrainers === 0;
  const listId = `trainees-${trainer.id}`;
  return (
    <li>
      <div className="tree-node">
        {leaf ? (
          <span className="tree-leaf" aria-hidden="true" />
        ) : (
          <button
            type="button"
            className="button secondary small"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => setOpen((o) => !o)}
            aria-label={`${open ? 'Thu gọn' : 'Mở'} những người ${trainer.person.fullName} đã đào tạo`}
          >
            {open ? '−' : '+'}
          </button>
        )}
        <strong>{trainer.person.fullName}</strong>
        <span className="muted">
          {TIER_NAMES[trainer.tier] ?? trainer.tier} · {trainer.homeUnit.fullName} · thế hệ{' '}
          {trainer.generation}
        </span>
        <span>
          trực tiếp <strong>{formatNumber(trainer.directReach)}</strong> người ·{' '}
        </span>
        <CascadeFigure programId={programId} trainerId={trainer.id} />
      </div>
      {open && (
        <ul id={listId}>
          {trainees.isPending ? (
            <li>
              <Loading />
            </li>
          ) : trainees.isError ? (
            <li>
              <ErrorState error={trainees.error} />
            </li>
          ) : trainees.data.items.length === 0 ? (
            <li className="muted">Chưa đào tạo giảng viên nào.</li>
          ) : (
            trainees.data.items.map((t) => (
              <Node key={t.id} programId={programId} trainer={t as TrainerNode} />
            ))
          )}
        </ul>
      )}
    </li>
  );
}

/**
 * The cascade as a tree: provincial core trainers at the top, each opening onto the trainers they trained,
 * generation by generation, with each one's direct reach and the distinct reach of their whole subtree.
 */
export function CascadeTree({ programId, unit }: { programId: string; unit: string }) {
  const roots = useRootTrainers(programId, unit);
  if (roots.isPending) return <Loading />;
  if (roots.isError) return <ErrorState error={roots.error} onRetry={() => void roots.refetch()} />;
  if (!roots.data.items.length)
    return <Empty>Chưa có giảng viên nòng cốt cấp tỉnh nào trong đơn vị này.</Empty>;
  return (
    <ul className="tree" aria-label="Cây lan tỏa">
      {roots.data.items.map((t) => (
        <Node key={t.id} programId={programId} trainer={t as TrainerNode} />
      ))}
    </ul>
  );
}
