import { formatDateTime } from '../ui';
import { syncNow, type SyncState } from './sync';

/** Always on the trainer's screens: online or not, how many changes wait, when the last sync succeeded. */
export function SyncBar({ state }: { state: SyncState }) {
  return (
    <div className={state.online ? 'sync-bar' : 'sync-bar offline'} role="status" data-testid="sync-bar">
      <span className="sync-net">{state.online ? 'Đang trực tuyến' : 'Đang ngoại tuyến'}</span>
      <span data-testid="pending">
        {state.pending ? `${state.pending} thay đổi chờ gửi` : 'Không có thay đổi chờ gửi'}
      </span>
      <span className="muted-light">
        {state.lastSync ? `Đồng bộ lần cuối: ${formatDateTime(state.lastSync)}` : 'Chưa đồng bộ'}
      </span>
      {state.lastError && state.pending > 0 && <span>{state.lastError}</span>}
      {state.others > 0 && (
        <span data-testid="others">
          {state.others} thay đổi của tài khoản khác đang giữ trên máy này, chỉ gửi khi tài khoản đó đăng nhập
          lại
        </span>
      )}
      {state.online && state.pending > 0 && (
        <button type="button" className="button small" onClick={() => void syncNow()}>
          Gửi ngay
        </button>
      )}
    </div>
  );
}
