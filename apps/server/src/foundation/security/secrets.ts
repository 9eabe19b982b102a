import { Logger } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/config';

export interface Secrets {
  adminToken: string;
  jwtSecret: string;
  /**
   * The same secret as a KeyObject, made once. Given a string, jsonwebtoken first tries to parse it as a PEM key
   * (which throws) before making this very key, on every sign and verify: that was a quarter of a registration's CPU.
   */
  jwtKey: KeyObject;
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
  return { adminToken, jwtSecret, jwtKey: createSecretKey(Buffer.from(jwtSecret)) };
}

function readOrCreate(path: string, onCreate?: () => void): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  onCreate?.();
  return value;
}
