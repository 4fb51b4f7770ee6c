import { Link } from 'react-router';
import { asApiError } from '../api';
import { ErrorState } from '../ui';

/**
 * What a page shows when the server refuses: for a unit outside the caller's scope (a link from another
 * province, an edited URL), a plain "no access" message and the way back — never an error dump or data.
 */
export function QueryProblem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const problem = asApiError(error);
  if (problem.status === 403) {
    return (
      <section className="no-access" role="alert" aria-labelledby="no-access-title">
        <h2 id="no-access-title">Không có quyền truy cập</h2>
        <p>
          Bạn không có quyền xem số liệu này: đơn vị hoặc nội dung nằm ngoài phạm vi được phân quyền cho tài
          khoản của bạn. Nếu bạn cần xem, hãy liên hệ ban chỉ đạo cấp trên hoặc quản trị viên.
        </p>
        <p>
          <Link to="/">Về đơn vị của tôi</Link>
        </p>
      </section>
    );
  }
  return <ErrorState error={problem} onRetry={onRetry} />;
}
