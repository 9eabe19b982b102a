import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { setFlagsFromString } from 'node:v8';
import { listen, createApp } from './bootstrap';
import { ConfigError, loadConfig } from './foundation/config/config';

// V8 moves allocation sites whose objects once survived young-generation GCs to allocate straight into the old
// generation; under session load that sent per-message objects there, a quarter of what major GCs collected. Off, the
// server promoted 1.3 instead of 1.8 MB/s at 1,000 msg/s and had fewer, shorter GC stalls (docs/benchmarks.md).
setFlagsFromString('--no-allocation-site-pretenuring');
// With so little promoted, V8 judged major GCs cheap and let the old generation grow only ~10% past its live size, so
// one came every ~4 s at 1,000 msg/s; each stalls messages for 20-40 ms on two cores. Room for 100% growth makes them
// ten times rarer for some tens of MB of heap (docs/benchmarks.md).
setFlagsFromString('--heap-growing-percent=100');

// A rejection nobody awaited is a bug in a background path (a timer, a socket write), not corrupt state: every write
// commits atomically and memory is a cache of the database. Staying up keeps one bug from becoming a way for any
// client to stop the server; the error line (with the stack) is what to alert on. A synchronous uncaught exception
// keeps Node's default (exit 1, for a supervisor to restart): after one, Node cannot vouch for the process.
process.on('unhandledRejection', (reason) => {
  new Logger('process').error(`unhandled rejection (server stays up): ${reason instanceof Error ? reason.stack : String(reason)}`);
});

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
