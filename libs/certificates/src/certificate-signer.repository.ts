import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';

/** Who signs for a unit (certificate_signer), with the unit's code and name. */
export interface SignerRow {
  code: string;
  fullName: string;
  issuer: string | null;
  signerTitle: string;
  signerName: string;
  sealHash: string | null;
  updatedAt: Date;
}

/** What is saved for a program and a unit; `sealHash` names a seal already stored. */
export interface SignerValues {
  programId: string;
  unitId: number;
  issuer: string | null;
  signerTitle: string;
  signerName: string;
  sealHash: string | null;
  updatedBy: string;
}

const SELECT = `SELECT u.code, u.full_name AS "fullName", s.issuer, s.signer_title AS "signerTitle",
                       s.signer_name AS "signerName", s.seal_hash AS "sealHash", s.updated_at AS "updatedAt"
                  FROM certificate_signer s JOIN admin_unit u ON u.id = s.unit_id`;

/** Certificate signers and seals (certificate_signer, certificate_seal). */
@Injectable()
export class CertificateSignerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async programExists(programId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM program WHERE id = $1`, [programId]);
    return rows.length > 0;
  }

  /** The current unit carrying `code`. */
  async currentUnit(code: string): Promise<{ id: number; path: string } | null> {
    const rows: { id: number; path: string }[] = await this.dataSource.query(
      `SELECT id, path FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
      [code],
    );
    return rows[0] ?? null;
  }

  /** The program's signers in the caller's part of the map (steering; all for an administrator), the province first. */
  list(principal: Principal, programId: string): Promise<SignerRow[]> {
    const params: unknown[] = [programId];
    const scope = Policy.isAdmin(principal)
      ? 'TRUE'
      : Policy.sqlScope(principal, ['steering'], 'u.path', params);
    return this.dataSource.query(
      `${SELECT} WHERE s.program_id = $1 AND ${scope} ORDER BY length(u.path), u.code`,
      params,
    );
  }

  /** The unit's signer for the program, locked for the rest of the transaction. */
  async lock(m: EntityManager, programId: string, unitId: number): Promise<SignerRow | null> {
    const rows: SignerRow[] = await m.query(
      `${SELECT} WHERE s.program_id = $1 AND s.unit_id = $2 FOR UPDATE OF s`,
      [programId, unitId],
    );
    return rows[0] ?? null;
  }

  async find(m: EntityManager, programId: string, unitId: number): Promise<SignerRow | null> {
    const rows: SignerRow[] = await m.query(`${SELECT} WHERE s.program_id = $1 AND s.unit_id = $2`, [
      programId,
      unitId,
    ]);
    return rows[0] ?? null;
  }

  /** Stores a seal image once, by its hash. */
  async putSeal(m: EntityManager, seal: { hash: string; mime: string; image: Buffer }): Promise<void> {
    await m.query(
      `INSERT INTO certificate_seal (hash, mime, image) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING`,
      [seal.hash, seal.mime, seal.image],
    );
  }

  async put(m: EntityManager, v: SignerValues): Promise<void> {
    await m.query(
      `INSERT INTO certificate_signer (program_id, unit_id, issuer, signer_title, signer_name, seal_hash, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (program_id, unit_id) DO UPDATE
           SET issuer = EXCLUDED.issuer, signer_title = EXCLUDED.signer_title, signer_name = EXCLUDED.signer_name,
               seal_hash = EXCLUDED.seal_hash, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [v.programId, v.unitId, v.issuer, v.signerTitle, v.signerName, v.sealHash, v.updatedBy],
    );
  }

  /** The seal image of the unit's signer for the program. */
  async seal(programId: string, unitId: number): Promise<{ mime: string; image: Buffer } | null> {
    const rows: { mime: string; image: Buffer }[] = await this.dataSource.query(
      `SELECT k.mime, k.image FROM certificate_signer s JOIN certificate_seal k ON k.hash = s.seal_hash
        WHERE s.program_id = $1 AND s.unit_id = $2`,
      [programId, unitId],
    );
    return rows[0] ?? null;
  }
}
