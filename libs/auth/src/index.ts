export * from './admin-bootstrap.service';
export * from './auth.entities';
export * from './auth.module';
export * from './password.service';
export * from './user.repository';
export * from './user.service';
export * from './citizen-session';
export { OidcService } from './oidc.service';
export { SessionClosedDto } from './identity.dto';
