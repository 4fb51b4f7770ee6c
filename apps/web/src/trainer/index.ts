export { pendingChanges } from './outbox';
