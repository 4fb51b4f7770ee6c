import { Link } from 'react-router';
import { Page } from '../ui';

export function NotFoundPage() {
  return (
    <Page title="Không tìm thấy trang">
      <p>Địa chỉ này không có trong Lan Tỏa. Có thể đường dẫn đã bị gõ sai hoặc đã cũ.</p>
      <p>
        <Link to="/">Về trang chính</Link>
      </p>
    </Page>
  );
}
