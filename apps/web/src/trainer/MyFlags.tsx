import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, asApiError, data, type Schemas } from '../api';
import { Dialog, ErrorState, formatDay, formatNumber, FormError, Loading, TextArea } from '../ui';

type Flag = Schemas['FlagSummaryDto'];

function Explain({ flag, onDone }: { flag: Flag; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(flag.explanation ?? '');
  const explain = useMutation({
    mutationFn: () =>
      data(api.POST('/api/v1/flags/{id}/explanation', { params: { path: { id: flag.id } }, body: { text } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['my-flags'] });
      onDone();
    },
  });
  const error = explain.error ? asApiError(explain.error) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    explain.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>{flag.summary}</p>
      <TextArea
        label="Giải trình"
        required
        data-autofocus
        hint="Ban chỉ đạo đọc giải trình này khi xem xét; chỉ ban chỉ đạo quyết định"
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={error?.field('text')}
      />
      <FormError message={error && !error.fields.length ? error.message : null} />
      <button type="submit" className="button primary" disabled={explain.isPending}>
        Gửi giải trình
      </button>
    </form>
  );
}

/** The open flags about my classes, each with my explanation (the steering level decides). */
export function MyFlags({ programId }: { programId: string }) {
  const [open, setOpen] = useState<Flag | null>(null);
  const flags = useQuery({
    queryKey: ['my-flags', programId],
    queryFn: () =>
      data(api.GET('/api/v1/flags', { params: { query: { programId, status: 'open', limit: 50 } } })),
  });
  return (
    <section aria-labelledby="my-flags-h">
      <h2 id="my-flags-h">Cảnh báo về lớp của tôi</h2>
      {flags.isPending ? (
        <Loading />
      ) : flags.error ? (
        <ErrorState error={flags.error} />
      ) : flags.data.items.length === 0 ? (
        <p className="muted">Không có cảnh báo nào chờ xem xét.</p>
      ) : (
        <>
          <p className="muted">
            {formatNumber(flags.data.total)} cảnh báo chờ ban chỉ đạo xem xét. Bạn có thể giải trình từng cảnh
            báo.
          </p>
          <ul className="my-flags" data-testid="my-flags">
            {flags.data.items.map((f) => (
              <li key={f.id}>
                <p>
                  <strong>{f.patternLabel}</strong> — {f.classTitle ?? f.unitName}, mức độ{' '}
                  {f.severityLabel.toLowerCase()}, từ {formatDay(f.raisedAt.slice(0, 10))}
                </p>
                <p>{f.summary}</p>
                {f.explanation ? (
                  <p>
                    <strong>Giải trình của tôi:</strong> {f.explanation}
                  </p>
                ) : (
                  <p className="muted">Chưa giải trình.</p>
                )}
                <button type="button" className="button secondary" onClick={() => setOpen(f)}>
                  {f.explanation ? 'Sửa giải trình' : 'Giải trình'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <Dialog
        open={!!open}
        title={open ? `Giải trình: ${open.patternLabel}` : 'Giải trình'}
        onClose={() => setOpen(null)}
      >
        {open && <Explain flag={open} onDone={() => setOpen(null)} />}
      </Dialog>
    </section>
  );
}
