// What other libraries, the apps and the tests use of libs/auth; everything else stays inside it.
export { AUTH_ENTITIES, UserEntity } from './auth.entities';
export { AuthModule } from './auth.module';
export { CITIZEN_COOKIE, CITIZEN_PATH, CitizenSession } from './citizen-session';
export type { CitizenIdentity } from './citizen-session';
export { SessionClosedDto } from './identity.dto';
export { OidcService } from './oidc.service';
export { PasswordService } from './password.service';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { UserRepository } from './user.repository';
