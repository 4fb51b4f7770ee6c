import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { CampaignPage, QueryProblem, type Campaign } from '../campaign';
import {
  Dialog,
  Empty,
  formatDay,
  formatNumber,
  FormError,
  Loading,
  Pager,
  SelectField,
  Tabs,
  TextArea,
} from '../ui';
import { splitPeriod, useTrainerSplit, useUnitSplit } from './queries';
import { SplitTable } from './SplitTable';
import { TrainerSplitTable } from './TrainerSplitTable';

type Flag = Schemas['FlagSummaryDto'];
type Status = Flag['status'];
type Decision = Schemas['FlagDecisionDto']['decision'];

const STATUSES = [
  ['open', 'Chờ xem xét'],
  ['cleared', 'Đã xác nhận hợp lệ'],
  ['excluded', 'Đã loại khỏi số liệu'],
  ['resolved', 'Tự đóng vì dữ liệu đã sửa'],
] as const;

const DECISIONS: Record<Decision, string> = {
  clear: 'Xác nhận hợp lệ',
  exclude: 'Loại các bản ghi khỏi số liệu đã xác minh',
  reopen: 'Mở lại để xem xét',
};

function Figures({ campaign }: { campaign: Campaign }) {
  const split = useUnitSplit(campaign);
  if (split.isPending) return <Loading />;
  if (split.error) return <QueryProblem error={split.error} />;
  const s = split.data;
  return (
    <section aria-labelledby="flag-figures" data-ready="true">
      <h2 id="flag-figures">Số liệu đã xác minh — {s.period}</h2>
      <p className="muted">
        Mỗi người chỉ tính một lần. “Đã xác minh”: không có cảnh báo nào đang mở hay bị loại; “Bị cảnh báo”:
        có cảnh báo chờ xem xét; “Đã loại”: người xem xét đã loại khỏi số liệu đã xác minh. Ba cột cộng lại
        bằng “Mọi bản ghi”.
      </p>
      <SplitTable label="Số liệu đã xác minh" units={[s]} />
      {s.children.length > 0 && (
        <details>
          <summary>Số người được phổ cập của {formatNumber(s.children.length)} đơn vị trực thuộc</summary>
          <SplitTable label="Các đơn vị trực thuộc" units={s.children} only="learners_reached" />
        </details>
      )}
    </section>
  );
}

function Trainers({ campaign }: { campaign: Campaign }) {
  const [rank, setRank] = useState<'verified' | 'all'>('verified');
  const trainers = useTrainerSplit(campaign, { rank, limit: 20, ...splitPeriod(campaign.period) });
  return (
    <section aria-labelledby="flag-trainers">
      <h2 id="flag-trainers">Xếp hạng giảng viên</h2>
      <SelectField
        label="Xếp hạng theo"
        value={rank}
        onChange={(e) => setRank(e.target.value as 'verified' | 'all')}
      >
        <option value="verified">Số người đã xác minh</option>
        <option value="all">Số người theo mọi bản ghi</option>
      </SelectField>
      {trainers.isPending ? (
        <Loading />
      ) : trainers.error ? (
        <QueryProblem error={trainers.error} />
      ) : trainers.data.length === 0 ? (
        <Empty>Chưa có giảng viên nào trong địa bàn.</Empty>
      ) : (
        <TrainerSplitTable
          rows={trainers.data}
          label={
            rank === 'verified'
              ? 'Giảng viên xếp theo số người đã xác minh'
              : 'Giảng viên xếp theo số người theo mọi bản ghi'
          }
        />
      )}
    </section>
  );
}

function Review({ id, onClose }: { id: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const flag = useQuery({
    queryKey: ['flags', 'one', id],
    queryFn: () => data(api.GET('/api/v1/flags/{id}', { params: { path: { id } } })),
  });
  const [decision, setDecision] = useState<Decision | ''>('');
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/flags/{id}/decision', {
          params: { path: { id } },
          body: { decision: decision as Decision, reason },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['flags'] });
      onClose();
    },
  });
  const error = decide.error ? asApiError(decide.error) : null;
  if (flag.isPending) return <Loading />;
  if (flag.error) return <QueryProblem error={flag.error} />;
  const f = flag.data;
  const choices = (Object.keys(DECISIONS) as Decision[]).filter((d) =>
    f.status === 'open'
      ? d !== 'reopen'
      : d === 'reopen' || d !== (f.status === 'cleared' ? 'clear' : 'exclude'),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    decide.mutate();
  }
  return (
    <div>
      <p>
        <strong>{f.patternLabel}</strong> — mức độ {f.severityLabel.toLowerCase()},{' '}
        {f.statusLabel.toLowerCase()}
      </p>
      <p>{f.summary}</p>
      <p>
        {f.classTitle ? `Lớp: ${f.classTitle}. ` : ''}
        {f.trainerName ? `Giảng viên: ${f.trainerName}. ` : ''}Địa bàn: {f.unitName}.
      </p>
      {f.explanation && (
        <p>
          <strong>Giải trình của giảng viên:</strong> {f.explanation}
        </p>
      )}
      <h3>Những người liên quan ({formatNumber(f.people.length)})</h3>
      <ul>
        {f.people.slice(0, 50).map((p) => (
          <li key={p.personId}>{p.fullName}</li>
        ))}
      </ul>
      {f.history.length > 0 && (
        <>
          <h3>Lịch sử</h3>
          <ul>
            {f.history.map((h, i) => (
              <li key={i}>
                {formatDay(h.at.slice(0, 10))} — {h.actorName ?? 'Hệ thống'}: {h.reason ?? h.action}
              </li>
            ))}
          </ul>
        </>
      )}
      {f.canDecide ? (
        <form onSubmit={submit} noValidate>
          <SelectField
            label="Quyết định"
            required
            value={decision}
            onChange={(e) => setDecision(e.target.value as Decision)}
            error={error?.field('decision')}
          >
            <option value="">— Chọn —</option>
            {choices.map((d) => (
              <option key={d} value={d}>
                {DECISIONS[d]}
              </option>
            ))}
          </SelectField>
          <TextArea
            label="Lý do"
            required
            hint="Bắt buộc; được ghi vào nhật ký cùng tên người quyết định"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={error?.field('reason')}
          />
          <FormError message={error && !error.fields.length ? error.message : null} />
          <button type="submit" className="button primary" disabled={!decision || decide.isPending}>
            Ghi quyết định
          </button>
        </form>
      ) : (
        <p className="muted">Bạn không thể quyết định về cảnh báo này.</p>
      )}
    </div>
  );
}

function Queue({ campaign }: { campaign: Campaign }) {
  const [status, setStatus] = useState<Status>('open');
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Flag | null>(null);
  const flags = useQuery({
    queryKey: ['flags', 'queue', campaign.programId, campaign.unit, status, offset],
    queryFn: () =>
      data(
        api.GET('/api/v1/flags', {
          params: {
            query: { programId: campaign.programId, unit: campaign.unit, status, limit: 20, offset },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="flag-queue">
      <h2 id="flag-queue">Hàng đợi xem xét</h2>
      <Tabs
        label="Trạng thái cảnh báo"
        tabs={STATUSES}
        selected={status}
        onSelect={(s) => {
          setStatus(s);
          setOffset(0);
        }}
      >
        {flags.isPending ? (
          <Loading />
        ) : flags.error ? (
          <QueryProblem error={flags.error} />
        ) : flags.data.items.length === 0 ? (
          <Empty>Không có cảnh báo nào ở trạng thái này.</Empty>
        ) : (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Hàng đợi cảnh báo">
              <table className="data">
                <caption className="sr-only">Các cảnh báo dữ liệu</caption>
                <thead>
                  <tr>
                    <th scope="col">Dấu hiệu</th>
                    <th scope="col">Mức độ</th>
                    <th scope="col">Lớp, địa bàn</th>
                    <th scope="col">Bằng chứng</th>
                    <th scope="col">
                      <span className="sr-only">Thao tác</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {flags.data.items.map((f) => (
                    <tr key={f.id}>
                      <th scope="row">{f.patternLabel}</th>
                      <td>{f.severityLabel}</td>
                      <td>
                        {f.classTitle ?? '—'}
                        <br />
                        <small>{f.unitName}</small>
                      </td>
                      <td>{f.summary}</td>
                      <td>
                        <button type="button" className="button secondary" onClick={() => setOpen(f)}>
                          Xem xét
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={{ total: flags.data.total, limit: 20, offset }} onChange={setOffset} />
          </>
        )}
      </Tabs>
      <Dialog
        open={open !== null}
        title={open ? `Xem xét: ${open.patternLabel}` : ''}
        onClose={() => setOpen(null)}
      >
        {open && <Review id={open.id} onClose={() => setOpen(null)} />}
      </Dialog>
    </section>
  );
}

export default function FlagsPage() {
  return (
    <CampaignPage title="Cảnh báo dữ liệu" showView>
      {(campaign) => (
        <>
          <Queue campaign={campaign} />
          <Figures campaign={campaign} />
          <Trainers campaign={campaign} />
        </>
      )}
    </CampaignPage>
  );
}
