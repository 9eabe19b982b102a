"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const node_v8_1 = require("node:v8");
const bootstrap_1 = require("./bootstrap");
const config_1 = require("./foundation/config/config");
// V8 moves allocation sites whose objects once survived young-generation GCs to allocate straight into the old
// generation; under session load that sent per-message objects there, a quarter of what major GCs collected. Off, the
// server promoted 1.3 instead of 1.8 MB/s at 1,000 msg/s and had fewer, shorter GC stalls (docs/benchmarks.md).
(0, node_v8_1.setFlagsFromString)('--no-allocation-site-pretenuring');
// With so little promoted, V8 judged major GCs cheap and let the old generation grow only ~10% past its live size, so
// one came every ~4 s at 1,000 msg/s; each stalls messages for 20-40 ms on two cores. Room for 100% growth makes them
// ten times rarer for some tens of MB of heap (docs/benchmarks.md).
(0, node_v8_1.setFlagsFromString)('--heap-growing-percent=100');
async function main() {
    let config;
    try {
        config = (0, config_1.loadConfig)();
    }
    catch (e) {
        if (!(e instanceof config_1.ConfigError))
            throw e;
        console.error(`ioa: configuration error: ${e.message}`);
        process.exit(1);
    }
    await (0, bootstrap_1.listen)(await (0, bootstrap_1.createApp)(config), config);
}
main().catch((e) => {
    console.error(`ioa: start-up failed: ${e.message}`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map