import { gunzipSync, gzipSync } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { API_PREFIX, APP_CONFIG, AppConfig, Clock, DomainError } from '../../platform/src';
import { IssuerProfileDto } from './certificate.dto';
import { CredentialKeys, jose } from './credential-keys';
import { CredentialSource, OpenBadgeRepository } from './open-badge.repository';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB3_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
/** The media type of a credential secured as a JWT (VC-JOSE-COSE). */
export const VC_JWT_TYPE = 'application/vc+jwt';
/** Bitstring Status List's minimum length (16 KB), so that one revocation does not single anyone out. */
const MIN_LIST_BITS = 131_072;

/** What a presented credential turned out to be. */
export interface CredentialCheck {
  /**
   * genuine: signed with the published key, unchanged, not revoked; revoked: genuine but revoked (the status
   * list says so); altered: not signed by this issuer's key as it stands (changed, or forged);
   * unreadable: not a credential at all.
   */
  result: 'genuine' | 'revoked' | 'altered' | 'unreadable';
  credential: Record<string, unknown> | null;
}

/**
 * Certificates as Open Badges 3.0 credentials (`OpenBadgeCredential`, a W3C Verifiable Credential) secured as
 * a VC-JWT with the issuer's Ed25519 key. Revocation is published as a Bitstring Status List per program
 * and year (a certificate's index is its serial number), itself a signed credential. The subject is named as
 * on the paper certificate; the CCCD and every other personal field stay out.
 */
@Injectable()
export class OpenBadgeService {
  constructor(
    private readonly repository: OpenBadgeRepository,
    private readonly keys: CredentialKeys,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private url(path: string): string {
    return `${this.config.publicUrl}/${API_PREFIX}/credentials/${path}`;
  }

  issuerId(unitCode: string): string {
    return this.url(`issuers/${unitCode}`);
  }

  statusListUrl(programId: string, year: number): string {
    return this.url(`status/${programId}/${year}`);
  }

  /** The signed credential of a certificate (by id or by its verification code). */
  async issue(by: { id: string } | { code: string }): Promise<{ jwt: string; serial: string }> {
    const k = await this.repository.source(by);
    if (!k) throw new DomainError('CERTIFICATE_NOT_FOUND', 404, 'Không tìm thấy giấy chứng nhận.');
    return { jwt: await this.sign(this.credential(k)), serial: k.serial };
  }

  /** The OpenBadgeCredential of a certificate, before it is signed. */
  credential(k: CredentialSource): Record<string, unknown> {
    const s = k.snapshot;
    const statusList = this.statusListUrl(k.programId, k.serialYear);
    return {
      '@context': [VC_CONTEXT, OB3_CONTEXT],
      id: `urn:uuid:${k.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: `Giấy chứng nhận ${s.programName} — Cấp độ ${s.level}`,
      description: `Giấy chứng nhận số ${k.serial} cấp cho ${s.learnerName} đã hoàn thành cấp độ ${s.level}: ${s.levelTitle}.`,
      issuer: { id: this.issuerId(k.unitCode), type: ['Profile'], name: s.issuer },
      validFrom: new Date(k.issuedAt).toISOString(),
      credentialSubject: {
        type: ['AchievementSubject'],
        // The name printed on the certificate, nothing more: no CCCD, no birth date, no phone.
        identifier: [
          { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: s.learnerName },
        ],
        achievement: {
          id: `urn:lantoa:achievement:${k.programId}:${k.level}`,
          type: ['Achievement'],
          achievementType: 'Certificate',
          name: `${s.programName} — Cấp độ ${s.level}: ${s.levelTitle}`,
          description: `Cấp độ ${s.level} (${s.levelTitle}) của chương trình ${s.programName}.`,
          criteria: {
            narrative: `Tham dự đủ số buổi học của một lớp cấp độ ${s.level} theo quy định hoàn thành của chương trình.`,
          },
        },
      },
      credentialStatus: {
        id: `${statusList}#${k.serialNumber}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(k.serialNumber),
        statusListCredential: statusList,
      },
      credentialSchema: [{ id: OB3_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
      // Where a person holding only the paper can check it too.
      evidence: [
        {
          id: `${this.config.publicUrl}/verify/${k.verificationCode}`,
          type: ['Evidence'],
          name: `Trang xác thực giấy chứng nhận ${k.serial}`,
        },
      ],
    };
  }

  /** The signed revocation list of a program's certificates of one year. */
  async statusList(programId: string, year: number): Promise<string> {
    const ownerCode = await this.repository.programOwnerCode(programId);
    if (ownerCode === null || year < 2000 || year > 2200)
      throw new DomainError('STATUS_LIST_NOT_FOUND', 404, 'Không có danh sách trạng thái này.');
    const url = this.statusListUrl(programId, year);
    return this.sign({
      '@context': [VC_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: this.issuerId(ownerCode),
      validFrom: this.clock.now().toISOString(),
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: await this.encodedList(programId, year),
      },
    });
  }

  /** Bit i (left-most first) is set when certificate number i of that program and year is revoked. */
  private async encodedList(programId: string, year: number): Promise<string> {
    const revoked = await this.repository.revokedSerialNumbers(programId, year);
    const bits = Math.max(MIN_LIST_BITS, Math.ceil((Math.max(0, ...revoked) + 1) / 8) * 8);
    const list = Buffer.alloc(bits / 8);
    for (const n of revoked) list[n >> 3] |= 0x80 >> (n & 7);
    return `u${gzipSync(list).toString('base64url')}`;
  }

  /** The issuer's profile (an OB3 Profile) for the unit that owns programs. */
  async issuerProfile(unitCode: string): Promise<IssuerProfileDto> {
    const fullName = await this.repository.issuerName(unitCode);
    if (fullName === null) throw new DomainError('ISSUER_NOT_FOUND', 404, 'Không có đơn vị cấp này.');
    return {
      '@context': [VC_CONTEXT, OB3_CONTEXT],
      id: this.issuerId(unitCode),
      type: ['Profile'],
      name: `Ban Chỉ đạo Bình dân học AI ${fullName}`,
      url: this.config.publicUrl,
    };
  }

  private async sign(credential: Record<string, unknown>): Promise<string> {
    const j = await jose();
    const key = await this.keys.signingKey();
    const issuer = credential.issuer as string | { id: string };
    const jwt = new j.SignJWT({ ...credential })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'vc+jwt', cty: 'vc' })
      .setIssuer(typeof issuer === 'string' ? issuer : issuer.id)
      .setJti(String(credential.id))
      .setIssuedAt(Math.floor(this.clock.now().getTime() / 1000))
      .setNotBefore(Math.floor(new Date(String(credential.validFrom)).getTime() / 1000));
    return jwt.sign(key.privateKey);
  }

  /**
   * Checks a presented VC-JWT as anyone could offline: the signature against the published key, then the
   * revocation bit in the issuer's status list. Nothing in it is trusted before its signature is.
   */
  async verify(presented: string): Promise<CredentialCheck> {
    const j = await jose();
    const token = presented.trim();
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || token.length > 20_000)
      return { result: 'unreadable', credential: null };
    let claims: Record<string, unknown>;
    try {
      claims = j.decodeJwt(token);
    } catch {
      return { result: 'unreadable', credential: null };
    }
    const key = await this.keys.signingKey();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await j.jwtVerify(token, key.publicKey, {
        algorithms: ['EdDSA'],
        typ: 'vc+jwt',
        currentDate: this.clock.now(),
      }));
    } catch {
      return { result: 'altered', credential: readable(claims) };
    }
    const status = payload.credentialStatus as
      { statusListCredential?: unknown; statusListIndex?: unknown } | undefined;
    const listUrl = typeof status?.statusListCredential === 'string' ? status.statusListCredential : '';
    const match = listUrl.match(new RegExp(`^${escapeRegExp(this.url('status/'))}([0-9a-f-]{36})/(\\d{4})$`));
    const index = Number(status?.statusListIndex);
    if (!match || !Number.isInteger(index) || index < 0)
      return { result: 'altered', credential: readable(payload) };
    const revoked = await this.revokedInList(match[1], Number(match[2]), index);
    return { result: revoked ? 'revoked' : 'genuine', credential: readable(payload) };
  }

  /** Reads the bit from the signed status list, as an outside verifier would. */
  private async revokedInList(programId: string, year: number, index: number): Promise<boolean> {
    const j = await jose();
    const { payload } = await j.jwtVerify(
      await this.statusList(programId, year),
      (await this.keys.signingKey()).publicKey,
    );
    const encoded = String((payload.credentialSubject as { encodedList: string }).encodedList);
    const list = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    if (index >> 3 >= list.length) return false;
    return (list[index >> 3] & (0x80 >> (index & 7))) !== 0;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The credential's own fields (without the JWT's registered claims), for display. */
function readable(claims: Record<string, unknown>): Record<string, unknown> {
  const { iss: _iss, jti: _jti, iat: _iat, nbf: _nbf, exp: _exp, sub: _sub, ...credential } = claims;
  return credential;
}
