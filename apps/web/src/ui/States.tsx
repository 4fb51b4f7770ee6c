import type { ReactNode } from 'react';
import { asApiError } from '../api';

export function Loading({ label = 'Đang tải…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const problem = asApiError(error);
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Không tải được dữ liệu.</strong> {problem.message}
      </p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Thử lại
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}
