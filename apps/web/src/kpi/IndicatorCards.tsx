import { Link } from 'react-router';
import { campaignSearch, type Campaign } from '../campaign';
import { formatFigure, formatNumber, formatPercent, NO_TARGET } from '../ui';
import { INDICATOR_GROUPS, OTHER_GROUP, REPORTED_GROUP } from './messages';
import type { Indicator } from './queries';

/** Indicators with people or records behind them can be opened down to those records. */
export function drillable(indicator: Pick<Indicator, 'source' | 'code'>): boolean {
  return indicator.source === 'records';
}

function Card({ indicator, campaign }: { indicator: Indicator; campaign: Campaign }) {
  const { actual, target, percentOfTarget, share } = indicator;
  const hasTarget = target !== null && target > 0;
  const reached = hasTarget && actual >= target;
  const figure = `${formatNumber(actual)}`;
  return (
    <article className="card indicator" aria-labelledby={`ind-${indicator.code}`}>
      <h3 id={`ind-${indicator.code}`}>{indicator.name}</h3>
      <p className="figure">
        {drillable(indicator) ? (
          <Link
            to={{
              pathname: '/tong-quan/so-lieu',
              search: campaignSearch(campaign, { indicator: indicator.code }),
            }}
            aria-label={`${indicator.name}: ${figure} ${indicator.unitOfMeasure} — xem danh sách`}
          >
            {figure}
          </Link>
        ) : (
          figure
        )}
        {indicator.unitOfMeasure && <span className="figure-unit"> {indicator.unitOfMeasure}</span>}
      </p>
      {hasTarget ? (
        <>
          <p className="target-line">
            Chỉ tiêu {formatFigure(target)} · <strong>{formatPercent(percentOfTarget)}</strong>{' '}
            <span className={reached ? 'badge ok' : 'badge'}>{reached ? 'Đã đạt' : 'Chưa đạt'}</span>
          </p>
          <div className="meter" aria-hidden="true">
            <span style={{ width: `${Math.min(100, percentOfTarget ?? 0)}%` }} />
          </div>
        </>
      ) : (
        <p className="target-line muted">{target === 0 ? NO_TARGET : 'Chưa giao chỉ tiêu'}</p>
      )}
      {share && (
        <p className="share">
          Bằng {formatPercent(share.percent)} của {formatNumber(share.base)} {share.ofName.toLowerCase()}
        </p>
      )}
    </article>
  );
}

/** The indicators of a unit and period as cards: actual, target, % of target and the denominator. */
export function IndicatorCards({ indicators, campaign }: { indicators: Indicator[]; campaign: Campaign }) {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const known = new Set(INDICATOR_GROUPS.flatMap((g) => g.codes));
  const groups = [
    ...INDICATOR_GROUPS.map((g) => ({
      title: g.title,
      items: g.codes.map((c) => byCode.get(c)).filter((i) => !!i),
    })),
    { title: REPORTED_GROUP, items: indicators.filter((i) => i.source === 'reports') },
    { title: OTHER_GROUP, items: indicators.filter((i) => i.source !== 'reports' && !known.has(i.code)) },
  ].filter((g) => g.items.length);
  return (
    <>
      {groups.map((group, index) => (
        <section key={group.title} className="card-group" aria-labelledby={`indicator-group-${index}`}>
          <h2 id={`indicator-group-${index}`}>{group.title}</h2>
          <div className="cards">
            {group.items.map((indicator) => (
              <Card key={indicator.code} indicator={indicator} campaign={campaign} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
