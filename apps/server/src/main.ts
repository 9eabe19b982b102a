import 'reflect-metadata';
import { listen, createApp } from './bootstrap';
import { ConfigError, loadConfig } from './foundation/config/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`ioa: configuration error: ${e.message}`);
    process.exit(1);
  }
  await listen(await createApp(config), config);
}

main().catch((e: Error) => {
  console.error(`ioa: start-up failed: ${e.message}`);
  process.exit(1);
});
