import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CertificateSnapshot } from './certificate.entity';

/** What a certificate's credential is built from. */
export interface CredentialSource {
  id: string;
  serial: string;
  serialYear: number;
  serialNumber: number;
  programId: string;
  level: number;
  issuedAt: Date;
  verificationCode: string;
  snapshot: CertificateSnapshot;
  unitCode: string;
}

const SOURCE = `
  SELECT k.id, k.serial, k.serial_year AS "serialYear", k.serial_number AS "serialNumber",
         k.program_id AS "programId", k.level, k.issued_at AS "issuedAt", k.verification_code AS "verificationCode",
         k.snapshot, u.code AS "unitCode"
    FROM certificate k JOIN program g ON g.id = k.program_id JOIN admin_unit u ON u.id = g.owner_unit_id`;

/** The reads behind Open Badges credentials, status lists and issuer profiles. */
@Injectable()
export class OpenBadgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A certificate by id or by its verification code, with the code of the unit owning its program. */
  async source(by: { id: string } | { code: string }): Promise<CredentialSource | null> {
    const [where, value] = 'id' in by ? ['k.id', by.id] : ['k.verification_code', by.code];
    const rows: CredentialSource[] = await this.dataSource.query(`${SOURCE} WHERE ${where} = $1`, [value]);
    return rows[0] ?? null;
  }

  /** The code of the unit owning the program, or null for no such program. */
  async programOwnerCode(programId: string): Promise<string | null> {
    const owner: { unitCode: string }[] = await this.dataSource.query(
      `SELECT u.code AS "unitCode" FROM program g JOIN admin_unit u ON u.id = g.owner_unit_id WHERE g.id = $1`,
      [programId],
    );
    return owner[0]?.unitCode ?? null;
  }

  /** The serial numbers of the program's revoked certificates of one year. */
  async revokedSerialNumbers(programId: string, year: number): Promise<number[]> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT serial_number AS n FROM certificate WHERE program_id = $1 AND serial_year = $2 AND status = 'revoked'`,
      [programId, year],
    );
    return rows.map((r) => r.n);
  }

  /** The full name of the unit `unitCode` if it owns a program (an issuer), else null. */
  async issuerName(unitCode: string): Promise<string | null> {
    const rows: { fullName: string }[] = await this.dataSource.query(
      `SELECT full_name AS "fullName" FROM admin_unit u
        WHERE u.code = $1 AND EXISTS (SELECT 1 FROM program g WHERE g.owner_unit_id = u.id)`,
      [unitCode],
    );
    return rows[0]?.fullName ?? null;
  }
}
