import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, asApiError, data, type Schemas } from '../api';
import { readableUnits, useMe } from '../auth';
import { QueryProblem, usePrograms } from '../campaign';
import { UnitPicker, useUnit } from '../hierarchy';
import { formatNumber, FormError, Loading, Page, SelectField, TextField, vietnamToday } from '../ui';
import { asForm, ImportPanel, multipart, TemplateButton } from './ImportPanel';
import './admin.css';

/** The figure kinds: the four standard ones and those the province named (denominators of % targets). */
function useFigureKinds() {
  return useQuery({
    queryKey: ['population-figures'],
    queryFn: () => data(api.GET('/api/v1/population-figures')),
    staleTime: 10 * 60_000,
  });
}

function FiguresForm({ unit, year }: { unit: string; year: number }) {
  const kinds = useFigureKinds();
  const current = useQuery({
    queryKey: ['population', unit, year],
    queryFn: () =>
      data(api.GET('/api/v1/units/{code}/population', { params: { path: { code: unit }, query: { year } } })),
  });
  if (kinds.isError) return <QueryProblem error={kinds.error} onRetry={() => void kinds.refetch()} />;
  if (current.isError) return <QueryProblem error={current.error} onRetry={() => void current.refetch()} />;
  if (kinds.isPending || current.isPending) return <Loading />;
  return <FiguresEditor unit={unit} year={year} kinds={kinds.data} current={current.data} />;
}

function FiguresEditor({
  unit,
  year,
  kinds,
  current,
}: {
  unit: string;
  year: number;
  kinds: Schemas['PopulationFigureKindDto'][];
  current: Schemas['PopulationDto'];
}) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(current.figures).map(([k, v]) => [k, String(v)])),
  );
  const save = useMutation({
    mutationFn: () =>
      data(
        api.PUT('/api/v1/units/{code}/population', {
          params: { path: { code: unit } },
          body: {
            year,
            figures: Object.fromEntries(
              kinds.map((k) => {
                const text = (values[k.code] ?? '').replace(/[.\s]/g, '');
                // Blank clears the figure; anything else goes to the server as typed, which says what is wrong.
                return [k.code, text === '' ? null : /^-?\d+$/.test(text) ? Number(text) : (text as never)];
              }),
            ),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['population', unit] }),
  });
  const error = save.error ? asApiError(save.error) : null;
  const fieldOf = (code: string) => error?.field(`figures.${code}`);
  return (
    <form
      className="admin-form"
      noValidate
      data-ready="true"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="form-row">
        {kinds.map((k) => (
          <TextField
            key={k.code}
            label={k.name}
            inputMode="numeric"
            hint={
              current.year !== null && current.figures[k.code] !== undefined
                ? `Đang lưu: ${formatNumber(current.figures[k.code])} (năm ${current.year})`
                : 'Chưa có số liệu; để trống nếu không có.'
            }
            value={values[k.code] ?? ''}
            onChange={(e) => {
              setValues({ ...values, [k.code]: e.target.value });
              save.reset();
            }}
            error={fieldOf(k.code)}
          />
        ))}
      </div>
      <FormError message={error && !kinds.some((k) => fieldOf(k.code)) ? error.message : null} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? 'Đang lưu…' : `Lưu số liệu năm ${year}`}
        </button>
      </div>
      {save.isSuccess && (
        <p className="notice" role="status">
          Đã lưu số liệu dân số năm {year}.
        </p>
      )}
    </form>
  );
}

function ImportFigures({ unit, year }: { unit: string; year: number }) {
  const queryClient = useQueryClient();
  return (
    <ImportPanel<Schemas['PopulationImportResultDto']>
      id="population-import"
      title="Nhập từ Excel cho đơn vị và các đơn vị trực thuộc"
      template={
        <TemplateButton
          label={`Tải biểu mẫu năm ${year}`}
          path={`/api/v1/units/${unit}/population/template?year=${year}`}
          file={`dan-so-${unit}-${year}.xlsx`}
        />
      }
      send={(file, dryRun) =>
        data(
          api.POST('/api/v1/units/{code}/population/import', {
            params: { path: { code: unit }, query: { dryRun } },
            body: asForm(file) as never,
            ...multipart,
          }),
        )
      }
      summary={(r) =>
        `${formatNumber(r.rows)} dòng — ${formatNumber(r.created)} số liệu mới, ${formatNumber(r.updated)} thay đổi, ${formatNumber(r.unchanged)} giữ nguyên.`
      }
      commitLabel={() => 'Ghi số liệu'}
      onCommitted={() => void queryClient.invalidateQueries({ queryKey: ['population'] })}
    />
  );
}

/**
 * Population figures per unit and year (the denominators of percentage targets), within the caller's part of
 * the map: typed in for one unit, or imported from the Excel template for a unit and its children after a
 * dry run. The server checks the scope again.
 */
export default function PopulationPage() {
  const me = useMe();
  const programs = usePrograms();
  const [params, setParams] = useSearchParams();
  const roots = me.data ? readableUnits(me.data) : [];
  const fallback = roots?.[0]?.code ?? programs.data?.items[0]?.ownerUnit.code;
  const unit = params.get('unit') ?? fallback;
  const thisYear = Number(vietnamToday().slice(0, 4));
  const year = Number(params.get('year') ?? thisYear);
  const detail = useUnit(unit ?? undefined);
  const set = (patch: Record<string, string>) =>
    setParams({ ...(unit ? { unit } : {}), year: String(year), ...patch });
  return (
    <Page title="Số liệu dân số">
      {!unit ? (
        <Loading />
      ) : (
        <>
          <section className="context-bar" aria-label="Đơn vị và năm">
            <UnitPicker unit={unit} roots={roots} onChange={(code) => set({ unit: code })} />
            <div className="context-controls">
              <SelectField label="Năm" value={String(year)} onChange={(e) => set({ year: e.target.value })}>
                {Array.from({ length: 8 }, (_, i) => thisYear - 3 + i).map((y) => (
                  <option key={y} value={y}>
                    Năm {y}
                  </option>
                ))}
              </SelectField>
            </div>
          </section>
          <h2>
            {detail.data?.fullName ?? unit} — năm {year}
          </h2>
          <FiguresForm key={`${unit}-${year}`} unit={unit} year={year} />
          <ImportFigures unit={unit} year={year} />
        </>
      )}
    </Page>
  );
}
