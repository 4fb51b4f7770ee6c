import { readableUnits, useMe } from '../auth';
import { UnitPicker } from '../hierarchy';
import { SelectField } from '../ui';
import { periodOptions, type Campaign, type KpiView, type Program } from './campaign';

/** The campaign pages' shared controls: program, unit, period and the map the figures are read on. */
export function ContextBar({
  campaign,
  program,
  programs,
  onChange,
  showView = true,
  showPeriod = true,
}: {
  campaign: Campaign;
  program: Program;
  programs: Program[];
  onChange: (patch: Partial<Campaign>) => void;
  showView?: boolean;
  showPeriod?: boolean;
}) {
  const me = useMe();
  const roots = me.data ? readableUnits(me.data) : [];
  return (
    <section className="context-bar" aria-label="Phạm vi số liệu">
      <UnitPicker
        unit={campaign.unit}
        asOf={campaign.unitAsOf}
        roots={roots}
        onChange={(unit) => onChange({ unit })}
      />
      <div className="context-controls">
        {programs.length > 1 && (
          <SelectField
            label="Chương trình"
            value={campaign.programId}
            onChange={(e) => onChange({ programId: e.target.value })}
          >
            {programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        )}
        {showPeriod && (
          <SelectField
            label="Kỳ báo cáo"
            value={campaign.period}
            onChange={(e) => onChange({ period: e.target.value })}
          >
            {periodOptions(program, campaign.period).map((group) => (
              <optgroup key={group.group} label={group.group}>
                {group.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
        )}
        {showView && (
          <fieldset className="view-toggle">
            <legend>Tính theo địa giới</legend>
            {(
              [
                ['recorded', 'Lúc ghi nhận'],
                ['current', 'Hiện nay'],
              ] as [KpiView, string][]
            ).map(([value, label]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="view"
                  value={value}
                  checked={campaign.view === value}
                  onChange={() => onChange({ view: value })}
                />
                {label}
              </label>
            ))}
          </fieldset>
        )}
      </div>
    </section>
  );
}
