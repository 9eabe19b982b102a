"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.turnTaking = turnTaking;
exports.broadcast = broadcast;
exports.openLoop = openLoop;
const node_perf_hooks_1 = require("node:perf_hooks");
const agents_1 = require("./agents");
const stats_1 = require("./stats");
const PHASE_LIMIT_MS = 120_000;
const DRAIN_MS = 15_000;
/** Who holds the turn in each turn-taking group between runs (the coordinator, index 0, at first). */
const holders = new WeakMap();
const holderOf = (g) => holders.get(g) ?? 0;
/**
 * Round-robin turn-taking: the holder names the next member; the named agent speaks as soon as its `turn` arrives.
 * Turn latency is from the previous speaker's send to the next speaker receiving its `turn`.
 */
async function turnTaking(hub, groups, turnsPerGroup) {
    const states = new Map(groups.map((g) => [g.id, { group: g, holder: holderOf(g), named: -1, sentAt: 0, turns: 0 }]));
    const latencies = [];
    const refused = {};
    let unfinished = groups.length;
    let finish = () => undefined;
    const finished = new Promise((resolve) => (finish = resolve));
    const groupDone = () => --unfinished === 0 && finish();
    const speak = (s) => {
        const members = s.group.members;
        s.named = (s.holder + 1) % members.length;
        s.sentAt = node_perf_hooks_1.performance.now();
        void (0, agents_1.send)(members[s.holder], (0, agents_1.discussion)(s.group.id, [members[s.named].id])).then((ack) => {
            if (ack.ok)
                return;
            (0, stats_1.countInto)(refused, ack.error.code);
            s.named = -1;
            groupDone();
        });
    };
    hub.onTurn = (agent, e) => {
        const s = states.get(e.group_id);
        if (!s || s.named < 0 || s.group.members[s.named] !== agent)
            return;
        latencies.push(node_perf_hooks_1.performance.now() - s.sentAt);
        s.holder = s.named;
        s.named = -1;
        holders.set(s.group, s.holder);
        if (++s.turns >= turnsPerGroup)
            return void groupDone();
        speak(s);
    };
    const started = node_perf_hooks_1.performance.now();
    try {
        for (const s of states.values())
            speak(s);
        await (0, stats_1.withDeadline)(finished, PHASE_LIMIT_MS, 'turn-taking');
    }
    finally {
        hub.idle();
    }
    const seconds = (node_perf_hooks_1.performance.now() - started) / 1000;
    return { turns: latencies.length, seconds: (0, stats_1.round)(seconds), turns_per_s: (0, stats_1.round)(latencies.length / seconds, 0), turn_latency: (0, stats_1.summarize)(latencies), refused };
}
/**
 * Everyone posts: every message names all members as next speakers, so any member holds the turn at any time.
 * Each agent posts `perAgent` messages in a closed loop (the next once the previous is acknowledged).
 * Deliveries count `message` events received by subscribers (all members, the sender included).
 */
async function broadcast(hub, groups, perAgent) {
    await (0, agents_1.openFloor)(groups);
    const ids = new Set(groups.map((g) => g.id));
    await (0, stats_1.sleep)(200); // let the opening messages land before counting
    let deliveries = 0;
    let lastDelivery = 0;
    hub.onMessage = (_agent, m) => {
        if (!ids.has(m.header.group_id))
            return;
        deliveries++;
        lastDelivery = node_perf_hooks_1.performance.now();
    };
    let accepted = 0;
    let expected = 0;
    const refused = {};
    const acks = [];
    const started = node_perf_hooks_1.performance.now();
    let sendsDone = started;
    const post = async (g, agent) => {
        const everyone = g.members.map((m) => m.id);
        for (let i = 0; i < perAgent; i++) {
            const t = node_perf_hooks_1.performance.now();
            const ack = await (0, agents_1.send)(agent, (0, agents_1.discussion)(g.id, everyone));
            acks.push(node_perf_hooks_1.performance.now() - t);
            if (!ack.ok)
                (0, stats_1.countInto)(refused, ack.error.code);
            else
                (accepted++, (expected += g.members.length));
        }
    };
    try {
        await (0, stats_1.withDeadline)(Promise.all(groups.flatMap((g) => g.members.map((a) => post(g, a)))), PHASE_LIMIT_MS, 'broadcast');
        sendsDone = node_perf_hooks_1.performance.now();
        await (0, stats_1.waitUntil)(() => deliveries >= expected, DRAIN_MS);
    }
    finally {
        hub.idle();
    }
    const busy = (Math.max(lastDelivery, sendsDone) - started) / 1000;
    return {
        accepted, refused, deliveries, seconds: (0, stats_1.round)(busy),
        messages_per_s: (0, stats_1.round)(accepted / busy, 0), deliveries_per_s: (0, stats_1.round)(deliveries / busy, 0), ack_latency: (0, stats_1.summarize)(acks),
    };
}
/**
 * Open loop: messages are sent on a fixed schedule (`rate` per second, spread round-robin over groups and their
 * members) whether or not earlier ones were answered, so a server that falls behind shows it as latency.
 * Latency is taken from the scheduled time, not the actual send, so that a late sender does not hide queueing.
 */
async function openLoop(hub, groups, rate, warmupS, seconds) {
    await (0, agents_1.openFloor)(groups);
    await (0, stats_1.sleep)(200);
    const scheduled = new Map();
    const delivery = [];
    const ackLatency = [];
    const refused = {};
    let accepted = 0;
    let acked = 0;
    let lastAck = 0;
    let delivered = 0;
    let expected = 0;
    hub.onMessage = (agent, m) => {
        const s = scheduled.get(m.header.message_id);
        if (!s || agent === s.sender)
            return;
        delivered++;
        if (s.measured)
            delivery.push(node_perf_hooks_1.performance.now() - s.at);
    };
    const total = Math.round(rate * (warmupS + seconds));
    const t0 = node_perf_hooks_1.performance.now();
    const measureFrom = t0 + warmupS * 1000;
    let k = 0;
    const everyone = new Map(groups.map((g) => [g.id, g.members.map((m) => m.id)]));
    const tick = () => {
        for (const due = Math.min(total, Math.floor(((node_perf_hooks_1.performance.now() - t0) * rate) / 1000) + 1); k < due; k++) {
            const g = groups[k % groups.length];
            const sender = g.members[Math.floor(k / groups.length) % g.members.length];
            const envelope = (0, agents_1.discussion)(g.id, everyone.get(g.id));
            const at = t0 + (k * 1000) / rate;
            const measured = at >= measureFrom;
            scheduled.set(envelope.header.message_id, { at, sender, measured });
            void (0, agents_1.send)(sender, envelope).then((ack) => {
                acked++;
                lastAck = node_perf_hooks_1.performance.now();
                if (measured)
                    ackLatency.push(node_perf_hooks_1.performance.now() - at);
                if (!ack.ok)
                    return (0, stats_1.countInto)(refused, ack.error.code);
                accepted++;
                expected += g.members.length - 1;
            });
        }
    };
    let sendSeconds = 0;
    let drained = false;
    try {
        await (0, stats_1.withDeadline)(new Promise((resolve) => {
            const loop = () => (tick(), k >= total ? resolve() : setTimeout(loop, 1));
            loop();
        }), PHASE_LIMIT_MS, 'open loop');
        sendSeconds = (node_perf_hooks_1.performance.now() - t0) / 1000;
        drained = await (0, stats_1.waitUntil)(() => acked >= total && delivered >= expected, DRAIN_MS);
    }
    finally {
        hub.idle();
    }
    const processed = accepted / ((lastAck - t0) / 1000);
    return {
        offered_per_s: rate, achieved_send_per_s: (0, stats_1.round)(total / sendSeconds, 0), processed_per_s: (0, stats_1.round)(processed, 0),
        kept_up: drained && processed >= 0.95 * rate, sent: total, accepted, refused,
        delivery_latency: (0, stats_1.summarize)(delivery), ack_latency: (0, stats_1.summarize)(ackLatency), drained,
    };
}
//# sourceMappingURL=workloads.js.map