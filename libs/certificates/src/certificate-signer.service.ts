import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { UnitErrors } from '../../hierarchy/src';
import { ProgramErrors } from '../../programs/src';
import { CertificateErrors } from './certificate.errors';
import { CertificateSignerDto, SaveCertificateSignerDto, SEAL_MAX_BYTES } from './certificate-signer.dto';
import { CertificateSignerRepository, SignerRow } from './certificate-signer.repository';

/** The image's type from its first bytes: only PNG and JPEG, which the PDF writer embeds. */
export function sealType(image: Buffer): 'image/png' | 'image/jpeg' | null {
  if (image.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * Who signs a program's certificates for an issuing unit, and the unit's seal: set by the unit's steering
 * committee (or an administrator) for their unit or a unit below it; read when certificates are issued
 * (CertificateRepository.candidates takes the nearest unit above the class that has one).
 */
@Injectable()
export class CertificateSignerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly signers: CertificateSignerRepository,
  ) {}

  private toDto(r: SignerRow): CertificateSignerDto {
    return {
      unit: { code: r.code, fullName: r.fullName },
      issuer: r.issuer,
      signerTitle: r.signerTitle,
      signerName: r.signerName,
      hasSeal: r.sealHash !== null,
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  private async program(programId: string): Promise<void> {
    if (!(await this.signers.programExists(programId))) throw ProgramErrors.notFound();
  }

  /** A current unit the caller may configure (their own unit or one below it). */
  private async unit(principal: Principal, code: string): Promise<{ id: number; path: string }> {
    const unit = await this.signers.currentUnit(code);
    if (!unit) throw UnitErrors.notFound(code);
    if (!Policy.isAdmin(principal) && !Policy.covers(principal, ['steering'], unit.path))
      throw AccessErrors.outOfScope();
    return unit;
  }

  /** The signers set in the caller's part of the map, the province first. */
  async list(principal: Principal, programId: string): Promise<CertificateSignerDto[]> {
    await this.program(programId);
    const rows = await this.signers.list(principal, programId);
    return rows.map((r) => this.toDto(r));
  }

  async save(
    principal: Principal,
    programId: string,
    unitCode: string,
    dto: SaveCertificateSignerDto,
  ): Promise<CertificateSignerDto> {
    await this.program(programId);
    const unit = await this.unit(principal, unitCode);
    let seal: { hash: string; mime: string; image: Buffer } | null = null;
    if (dto.sealImage !== undefined) {
      const image = Buffer.from(dto.sealImage, 'base64');
      const mime = sealType(image);
      if (!mime)
        throw CertificateErrors.invalid([{ field: 'sealImage', reason: 'phải là ảnh PNG hoặc JPEG' }]);
      if (image.length > SEAL_MAX_BYTES)
        throw CertificateErrors.invalid([{ field: 'sealImage', reason: 'ảnh con dấu tối đa 300 KB' }]);
      seal = { hash: createHash('sha256').update(image).digest('hex'), mime, image };
    }
    const issuer = dto.issuer?.trim().normalize('NFC') || null;
    const signerTitle = dto.signerTitle.trim().normalize('NFC');
    const signerName = dto.signerName.trim().normalize('NFC');
    return this.dataSource.transaction(async (m: EntityManager) => {
      const before = await this.signers.lock(m, programId, unit.id);
      if (seal) await this.signers.putSeal(m, seal);
      const sealHash = seal ? seal.hash : dto.removeSeal ? null : (before?.sealHash ?? null);
      await this.signers.put(m, {
        programId,
        unitId: unit.id,
        issuer,
        signerTitle,
        signerName,
        sealHash,
        updatedBy: principal.id,
      });
      const after = (await this.signers.find(m, programId, unit.id))!;
      const described = (r: SignerRow | null) =>
        r && { issuer: r.issuer, signerTitle: r.signerTitle, signerName: r.signerName, sealHash: r.sealHash };
      await this.audit.record(
        {
          action: 'certificate_signer.save',
          entityType: 'certificate_signer',
          entityId: `${programId}/${unitCode}`,
          before: described(before) ?? null,
          after: described(after),
          scopePaths: [unit.path],
        },
        m,
      );
      return this.toDto(after);
    });
  }

  /** A unit's seal image, as the PDF prints it (for the settings page to show). */
  async seal(
    principal: Principal,
    programId: string,
    unitCode: string,
  ): Promise<{ mime: string; image: Buffer }> {
    await this.program(programId);
    const unit = await this.unit(principal, unitCode);
    const seal = await this.signers.seal(programId, unit.id);
    if (!seal) throw CertificateErrors.sealNotFound();
    return seal;
  }
}
