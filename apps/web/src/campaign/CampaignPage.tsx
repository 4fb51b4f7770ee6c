import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { readableUnits, useMe } from '../auth';
import { useUnit } from '../hierarchy';
import { Empty, ErrorState, Loading, Page } from '../ui';
import { useCampaign, type Campaign, type Program } from './campaign';
import { ContextBar } from './ContextBar';
import { QueryProblem } from './NoAccess';

/**
 * Whether the unit lies in the caller's scope, as /auth/me describes it: pages of a unit outside say so
 * at once instead of showing the part of it the server would let through (the server checks again).
 */
function useInScope(code: string | undefined, asOf?: string): boolean | undefined {
  const me = useMe();
  const unit = useUnit(code, asOf);
  if (!me.data || !unit.data) return undefined;
  const roots = readableUnits(me.data);
  if (roots === null) return true;
  const chain = [...unit.data.ancestors.map((a) => a.code), unit.data.code];
  return roots.some((r) => chain.includes(r.code));
}

/** A page about one campaign view: the context bar, then the page's content once the campaign is known. */
export function CampaignPage({
  title,
  showView,
  showPeriod,
  actions,
  children,
}: {
  title: string;
  showView?: boolean;
  showPeriod?: boolean;
  actions?: ReactNode;
  children: (campaign: Campaign, program: Program) => ReactNode;
}) {
  const { campaign, program, programs, loading, error, change } = useCampaign();
  const inScope = useInScope(campaign?.unit, campaign?.unitAsOf);
  return (
    <Page title={title} actions={actions}>
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorState error={error} />
      ) : !campaign || !program ? (
        <Empty>Chưa có chương trình nào. Quản trị viên cần tạo chương trình trước.</Empty>
      ) : inScope === false ? (
        <QueryProblem error={new ApiError(403, 'OUT_OF_SCOPE', 'Đơn vị này nằm ngoài phạm vi của bạn.')} />
      ) : (
        <>
          <ContextBar
            campaign={campaign}
            program={program}
            programs={programs}
            onChange={(patch) => change(patch, { offset: null })}
            showView={showView}
            showPeriod={showPeriod}
          />
          {children(campaign, program)}
        </>
      )}
    </Page>
  );
}
