import { asApiError, type FieldProblem } from '../api';

/** A row problem of an import: the server names the row of the file with each field and reason. */
type RowProblem = FieldProblem & { row?: number };

/**
 * An import's refusal: its message, then each bad row of the file (row number, column, reason; the first
 * hundred). A refusal of the file itself (no file, not Excel) is said once, in the message.
 */
export function ImportProblem({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = asApiError(error);
  const rows = (problem.fields as RowProblem[]).filter((f) => f.field !== 'file');
  return (
    <div className="import-problem" role="alert">
      <p className="form-error">{problem.message}</p>
      {rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Các dòng có lỗi">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Dòng</th>
                <th scope="col">Cột</th>
                <th scope="col">Lỗi</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 100).map((f, i) => (
                <tr key={i}>
                  <td>{f.row ?? '—'}</td>
                  <td>{f.field}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
