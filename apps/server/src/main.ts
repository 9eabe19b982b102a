import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { listen, createApp } from './bootstrap';
import { ConfigError, loadConfig } from './foundation/config/config';

// V8 moves allocation sites whose objects once survived young-generation GCs to allocate straight into the old
// generation; under session load that sent per-message objects there, a quarter of what major GCs collected. Off, the
// server promoted 1.3 instead of 1.8 MB/s at 1,000 msg/s and had fewer, shorter GC stalls (docs/benchmarks.md).
setFlagsFromString('--no-allocation-site-pretenuring');

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
