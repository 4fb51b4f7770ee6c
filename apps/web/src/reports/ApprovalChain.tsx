import { formatDateTime } from '../ui';
import type { Schemas } from '../api';

type Report = Schemas['ReportDto'];

const LEVEL_NAMES: Record<string, string> = {
  commune: 'Cấp xã',
  district: 'Cấp huyện',
  province: 'Cấp tỉnh',
};

const STEP_STATE: Record<string, string> = {
  approved: 'Đã duyệt',
  awaiting: 'Đang chờ duyệt',
  waiting: 'Chưa đến lượt',
};

/** Where a report stands in its chain of approvals: each level, bottom up, and what it did. */
export function ApprovalChain({ report }: { report: Report }) {
  if (!report.approvals.length) return null;
  return (
    <ol className="chain" aria-label="Các cấp duyệt báo cáo">
      {report.approvals.map((step) => (
        <li key={step.step} className={`chain-step chain-${step.state}`}>
          <span className="chain-level">
            {LEVEL_NAMES[step.level] ?? step.level}: {step.unit.fullName}
          </span>{' '}
          <span className={step.state === 'approved' ? 'badge ok' : 'badge'}>{STEP_STATE[step.state]}</span>
          {step.state === 'approved' && (step.approverName || step.approvedAt) && (
            <span className="muted">
              {' '}
              —{' '}
              {[step.approverName, step.approvedAt ? formatDateTime(step.approvedAt) : null]
                .filter(Boolean)
                .join(', ')}
            </span>
          )}
          {step.comment && <span className="chain-comment"> “{step.comment}”</span>}
        </li>
      ))}
    </ol>
  );
}
