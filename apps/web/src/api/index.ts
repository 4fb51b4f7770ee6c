export { api, data, download, type Schemas } from './client';
export { ApiError, asApiError, type FieldProblem } from './problem';
export { accessToken, onSessionEnd, signIn, signOut, takeRenewedAccount } from './session';
