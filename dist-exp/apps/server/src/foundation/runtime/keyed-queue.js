"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KeyedQueue = void 0;
/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently. Every change to a group goes
 * through its key, so seq numbers, the machine and deliveries stay in order without locks in the database.
 */
class KeyedQueue {
    tails = new Map();
    run(key, task) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        const result = previous.then(task, task);
        const tail = result.catch(() => undefined);
        this.tails.set(key, tail);
        void tail.then(() => {
            if (this.tails.get(key) === tail)
                this.tails.delete(key);
        });
        return result;
    }
}
exports.KeyedQueue = KeyedQueue;
//# sourceMappingURL=keyed-queue.js.map