"use strict";
/**
 * Preloaded (`node --expose-gc -r server-hooks.js`) into each server under test, which the benchmark spawns with
 * an IPC channel: on 'gc' the server runs a full collection and replies with its memory, so that RSS is read
 * without the heap slack earlier work left; and when the benchmark goes away, the server goes too.
 * It changes nothing else in the server.
 */
process.on('message', (m) => {
    if (m !== 'gc')
        return;
    globalThis.gc?.();
    process.send?.({ memory: process.memoryUsage() });
});
process.on('disconnect', () => process.exit(0));
//# sourceMappingURL=server-hooks.js.map