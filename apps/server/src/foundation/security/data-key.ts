import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/config';
import { readOrCreate } from './secrets';

/** A signature by the data key: the key's id and an HMAC-SHA256, base64url. */
export interface DataSignature {
  kid: string;
  mac: string;
}

/**
 * The data key (`IOA_DATA_KEY`, else generated into `<data>/data.key`): it signs what the server stores and must
 * trust again later (checkpoints), apart from the JWT secret, so that replacing one never weakens the other. Each
 * use derives its own subkey (HKDF, by purpose). The current key signs; earlier ones (`IOA_DATA_PREVIOUS_KEYS`) only
 * verify what they signed, so the key can be rotated without making stored records untrustworthy. A key's id is
 * derived from it (an HMAC, revealing nothing), so nodes sharing the key agree on ids unconfigured.
 */
export class DataKeys {
  readonly kid: string;
  private readonly byKid = new Map<string, KeyObject>();

  /** Encryption subkeys (AES-256-GCM) by key id: secrets the server keeps for others, such as an A2A agent's credential. */
  private readonly sealing = new Map<string, KeyObject>();

  constructor(current: string, previous: string[] = []) {
    for (const secret of [...previous, current]) {
      this.byKid.set(dataKeyId(secret), subkey(secret, 'ioa signing'));
      this.sealing.set(dataKeyId(secret), subkey(secret, 'ioa sealing'));
    }
    this.kid = dataKeyId(current);
  }

  /** `text` encrypted with the current key, as `kid.iv.ciphertext.tag` (base64url); `open` reads it back. */
  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealing.get(this.kid) as KeyObject, iv);
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [this.kid, iv, data, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** What `seal` encrypted, by whichever key this server knows; throws if no key opens it or it was altered. */
  open(sealed: string): string {
    const [kid, iv, data, tag] = sealed.split('.');
    const key = this.sealing.get(kid);
    if (!key || !iv || !data || !tag) throw new Error(`a sealed secret of an unknown data key (${kid})`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  sign(text: string): DataSignature {
    return { kid: this.kid, mac: mac(this.byKid.get(this.kid) as KeyObject, text) };
  }

  /** Whether `signature` is a signature of `text` by a key this server knows (never throws). */
  verify(text: string, signature: DataSignature): boolean {
    const key = this.byKid.get(signature.kid);
    if (!key || typeof signature.mac !== 'string') return false;
    const expected = Buffer.from(mac(key, text), 'base64url');
    const given = Buffer.from(signature.mac, 'base64url');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

const mac = (key: KeyObject, text: string) => createHmac('sha256', key).update(text).digest('base64url');
const subkey = (secret: string, purpose: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'ioa data key', purpose, 32)));

function dataKeyId(secret: string): string {
  return createHmac('sha256', secret).update('ioa data key id').digest('base64url').slice(0, 16);
}

/** The data keys from the configuration, the current one generated into the data dir (mode 0600) when unset. */
export function loadDataKeys(config: AppConfig): DataKeys {
  mkdirSync(config.dataDir, { recursive: true });
  return new DataKeys(config.dataKey ?? readOrCreate(join(config.dataDir, 'data.key')), config.dataPreviousKeys);
}
