export * from './certificate-renderer';
export * from './certificate-template';
export * from './certificate.dto';
export * from './certificate.entity';
export * from './certificate.service';
export * from './certificates.module';
export { OpenBadgeService, VC_JWT_TYPE } from './open-badge.service';
