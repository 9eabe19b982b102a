import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../bootstrap';
import { openApiDocument } from '../foundation/http/openapi';
import { loadConfig } from '../foundation/config/config';

/** Writes docs/openapi.json from the DTOs, by building the app against a throw-away data dir (nothing listens). */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioa-openapi-'));
  try {
    const app = await createApp(loadConfig({ IOA_DATA_DIR: dataDir, IOA_EMBEDDING_MODEL: 'none', IOA_LOG_LEVEL: 'error' }));
    const target = resolve(__dirname, '../../../../../docs/openapi.json');
    writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
    console.log(`wrote ${target}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`write-openapi failed: ${e.message}`);
  process.exit(1);
});
