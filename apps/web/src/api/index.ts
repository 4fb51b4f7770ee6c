export { api, data, download, type Schemas } from './client';
export { ApiError, asApiError, type FieldProblem } from './problem';
export { accessToken, hasSession, onSessionEnd, signIn, signOut } from './session';
