// What other libraries, the apps and the tests use of libs/certificates; everything else stays inside it.
export { CertificateRenderer } from './certificate-renderer';
export { CertificateTemplates } from './certificate-template';
export { CERTIFICATE_ENTITIES } from './certificate.entity';
export { CertificatePrintService } from './certificate-print.service';
export { CertificateService } from './certificate.service';
export type { CertificateListener } from './certificate.service';
export { CertificatesModule } from './certificates.module';
