import { useState } from 'react';
import { asApiError, download, type ApiError } from '../api';
import { useCampaign, type Campaign } from '../campaign';
import { formatPeriod, FormError, SelectField } from '../ui';
import { previousQuarter, quarters } from './periods';

/**
 * The consolidated report of the unit chosen above: the reports approved under it for a quarter, as the
 * official PDF (one line per reporting unit or organisation, plan and % of plan, totals over distinct people).
 */
export function ConsolidatedReport({ campaign }: { campaign: Campaign }) {
  const { program } = useCampaign();
  const [period, setPeriod] = useState(previousQuarter());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!program) return null;
  const fetchPdf = async () => {
    setBusy(true);
    setError(null);
    const query = new URLSearchParams({ programId: campaign.programId, unit: campaign.unit, period });
    try {
      await download(`/api/v1/reports/consolidated/pdf?${query}`, `bao-cao-tong-hop-${period}.pdf`);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="consolidated-title">
      <h2 id="consolidated-title">Báo cáo tổng hợp</h2>
      <p>Các báo cáo đã được duyệt của những đơn vị, cơ quan thuộc đơn vị đang chọn, trong một văn bản.</p>
      <div className="table-tools">
        <SelectField label="Kỳ tổng hợp" value={period} onChange={(e) => setPeriod(e.target.value)}>
          {quarters(program).map((q) => (
            <option key={q} value={q}>
              {formatPeriod(q)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="button" className="button secondary" disabled={busy} onClick={() => void fetchPdf()}>
          {busy ? 'Đang lập…' : 'Tải báo cáo tổng hợp (PDF)'}
        </button>
      </div>
      <FormError message={error?.message ?? null} />
    </section>
  );
}
