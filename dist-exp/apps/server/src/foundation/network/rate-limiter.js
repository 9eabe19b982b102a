"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RateLimiter = void 0;
/** A token bucket per key: `ratePerS` sustained, `burst` at once. */
class RateLimiter {
    ratePerS;
    burst;
    now;
    buckets = new Map();
    constructor(ratePerS, burst, now) {
        this.ratePerS = ratePerS;
        this.burst = burst;
        this.now = now;
    }
    take(key) {
        const now = this.now();
        const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
        b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerS);
        b.at = now;
        this.buckets.set(key, b);
        if (b.tokens < 1)
            return false;
        b.tokens -= 1;
        return true;
    }
    forget(key) {
        this.buckets.delete(key);
    }
}
exports.RateLimiter = RateLimiter;
//# sourceMappingURL=rate-limiter.js.map