// The sign-in and password pages are not exported here: the app loads them as chunks of their own
// (src/app/App.tsx), outside the code every page runs first.
export { hasRole, meQuery, readableUnits, useMe, type Me, type Role } from './me';
export { RequireSession } from './RequireSession';
export { signOut } from '../api';
