import { createHmac, hkdfSync, KeyObject, createSecretKey, timingSafeEqual } from 'node:crypto';
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

  constructor(current: string, previous: string[] = []) {
    for (const secret of [...previous, current]) this.byKid.set(dataKeyId(secret), subkey(secret, 'ioa signing'));
    this.kid = dataKeyId(current);
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
