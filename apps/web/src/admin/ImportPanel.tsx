import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { asApiError, download } from '../api';
import { ExcelFileField, FormError, ImportProblem } from '../ui';

/** Posts the chosen workbook as the multipart field `file`, as every import of the API takes it. */
export function asForm(file: File): FormData {
  const form = new FormData();
  form.append('file', file);
  return form;
}

export const multipart = { bodySerializer: (b: unknown) => b as FormData };

/**
 * One import: the template, the filled-in file, a dry run that lists every bad row (or says what would be
 * written), then the commit — all rows or none — offered only after a clean dry run of that same file.
 */
export function ImportPanel<R extends { dryRun: boolean }>({
  id,
  title,
  intro,
  template,
  send,
  summary,
  commitLabel,
  onCommitted,
}: {
  id: string;
  title: string;
  intro?: ReactNode;
  template: ReactNode;
  send: (file: File, dryRun: boolean) => Promise<R>;
  summary: (result: R) => string;
  /** The commit button's text after a dry run; null when there is nothing to write. */
  commitLabel: (preview: R) => string | null;
  onCommitted?: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) => send(file!, dryRun),
    onSuccess: (result) => {
      if (!result.dryRun) onCommitted?.();
    },
  });
  const commit = run.data?.dryRun ? commitLabel(run.data) : null;
  return (
    <section aria-labelledby={id} className="table-block">
      <h2 id={id}>{title}</h2>
      {intro}
      {template}
      <ExcelFileField
        onFile={(f) => {
          setFile(f);
          run.reset();
        }}
      />
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          disabled={!file || run.isPending}
          onClick={() => run.mutate(true)}
        >
          Kiểm tra và xem trước
        </button>
        {commit && (
          <button
            type="button"
            className="button primary"
            disabled={run.isPending}
            onClick={() => run.mutate(false)}
          >
            {commit}
          </button>
        )}
      </div>
      {run.data && (
        <p role="status" className="notice">
          {run.data.dryRun ? 'Xem trước (chưa ghi)' : 'Đã ghi'}: {summary(run.data)}
        </p>
      )}
      <ImportProblem error={run.error} />
    </section>
  );
}

/** A template's download button; a refusal (a province code that is not one) is said next to it. */
export function TemplateButton({ label, path, file }: { label: string; path: string; file: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <div className="form-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setError(null);
            void download(path, file).catch((e: unknown) => setError(asApiError(e).message));
          }}
        >
          {label}
        </button>
      </div>
      <FormError message={error} />
    </>
  );
}
