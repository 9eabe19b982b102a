import { Logger } from '@nestjs/common';
import { createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/config';

export interface Secrets {
  adminToken: string;
  jwt: JwtKeys;
}

/**
 * The JWT signing keys: the current one signs every new token (its id in the token's `kid` header); earlier ones only
 * verify the tokens they signed, until those expire, so a key can be replaced without logging anyone out. A key's id
 * is derived from its secret (an HMAC, revealing nothing of it), so nodes sharing secrets agree on ids unconfigured.
 * Keys are KeyObjects made once: given a string, jsonwebtoken first tries to parse it as a PEM key (which throws)
 * before making this very key, on every sign and verify; that was a quarter of a registration's CPU.
 */
export class JwtKeys {
  readonly kid: string;
  readonly current: KeyObject;
  private readonly byKid = new Map<string, KeyObject>();

  constructor(current: string, previous: string[] = []) {
    for (const secret of [...previous, current]) this.byKid.set(keyId(secret), createSecretKey(Buffer.from(secret)));
    this.kid = keyId(current);
    this.current = this.byKid.get(this.kid)!;
  }

  /**
   * The key that verifies `token`: the one its `kid` names. A token from before key ids names none: the key whose
   * signature it carries, found by trying each (so the first rotation after an upgrade logs nobody out either).
   * Undefined for an unknown id or a malformed token, which then fails verification as an invalid token.
   */
  verifying(token: unknown): KeyObject | undefined {
    if (typeof token !== 'string') return undefined;
    const [header, payload, signature] = token.split('.');
    try {
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown };
      if (kid !== undefined) return typeof kid === 'string' ? this.byKid.get(kid) : undefined;
    } catch {
      return undefined;
    }
    const given = Buffer.from(signature ?? '', 'base64url');
    for (const key of this.byKid.values()) {
      const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
      if (expected.length === given.length && timingSafeEqual(expected, given)) return key;
    }
    return this.current;
  }
}

function keyId(secret: string): string {
  return createHmac('sha256', secret).update('ioa jwt key id').digest('base64url').slice(0, 16);
}

/**
 * The admin bootstrap token and the JWT signing secret: from the environment when set, otherwise generated on
 * first start and kept in the data dir (mode 0600) so that restarts keep every issued token valid.
 */
export function loadSecrets(config: AppConfig, logger = new Logger('security')): Secrets {
  mkdirSync(config.dataDir, { recursive: true });
  const adminFile = join(config.dataDir, 'admin.token');
  const adminToken = config.adminToken ?? readOrCreate(adminFile, () => logger.warn(`generated admin token written to ${adminFile}`));
  const jwtSecret = config.jwtSecret ?? readOrCreate(join(config.dataDir, 'jwt.secret'));
  return { adminToken, jwt: new JwtKeys(jwtSecret, config.jwtPreviousSecrets) };
}

/** A secret kept in a file of the data dir: read, or generated (32 random bytes) on first start. */
export function readOrCreate(path: string, onCreate?: () => void): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  onCreate?.();
  return value;
}
