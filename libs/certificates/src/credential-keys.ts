import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { APP_CONFIG, AppConfig } from '../../platform/src';

/** jose is ESM-only: loaded once by a real dynamic import. */
let library: Promise<typeof Jose> | null = null;
export const jose = (): Promise<typeof Jose> => (library ??= import('jose'));

const KEY_FILE = 'credential-key.json';

export interface SigningKey {
  kid: string;
  privateKey: Jose.CryptoKey;
  publicKey: Jose.CryptoKey;
  /** The public key as published in the JWKS. */
  publicJwk: Jose.JWK;
}

/**
 * The issuer's Ed25519 key that signs Open Badges credentials and status lists. From CREDENTIAL_SIGNING_KEY
 * (a private JWK), or generated once into DATA_DIR/credential-key.json (mode 600) — every API process of one
 * deployment must share it, so production sets the variable. Its public half is published at
 * /.well-known/jwks.json: anyone can check a credential offline with it.
 */
@Injectable()
export class CredentialKeys {
  private readonly logger = new Logger('CredentialKeys');
  private key: Promise<SigningKey> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  signingKey(): Promise<SigningKey> {
    return (this.key ??= this.load());
  }

  async jwks(): Promise<{ keys: Jose.JWK[] }> {
    return { keys: [(await this.signingKey()).publicJwk] };
  }

  private async load(): Promise<SigningKey> {
    const j = await jose();
    let jwk = this.config.credentials.signingKeyJwk as Jose.JWK | null;
    if (!jwk) {
      const file = join(this.config.dataDir, KEY_FILE);
      if (existsSync(file)) jwk = JSON.parse(readFileSync(file, 'utf8')) as Jose.JWK;
      else {
        const pair = await j.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
        jwk = await j.exportJWK(pair.privateKey);
        writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
        this.logger.log(`generated the credential signing key in ${file}`);
      }
    }
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d)
      throw new Error('CREDENTIAL_SIGNING_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, d)');
    const { d: _d, ...publicPart } = jwk;
    const kid = await j.calculateJwkThumbprint(publicPart);
    const publicJwk: Jose.JWK = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: publicPart.x,
      kid,
      alg: 'EdDSA',
      use: 'sig',
    };
    return {
      kid,
      privateKey: (await j.importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA')) as Jose.CryptoKey,
      publicKey: (await j.importJWK(publicJwk, 'EdDSA')) as Jose.CryptoKey,
      publicJwk,
    };
  }
}
