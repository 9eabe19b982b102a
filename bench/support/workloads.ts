import { performance } from 'node:perf_hooks';
import { Ack, BenchAgent, BenchGroup, discussion, Hub, openFloor, send } from './agents';
import { countInto, LatencySummary, round, sleep, summarize, waitUntil, withDeadline } from './stats';

const PHASE_LIMIT_MS = 120_000;
const DRAIN_MS = 15_000;
/** Who holds the turn in each turn-taking group between runs (the coordinator, index 0, at first). */
const holders = new WeakMap<BenchGroup, number>();
const holderOf = (g: BenchGroup) => holders.get(g) ?? 0;

export interface TurnTakingResult {
  turns: number;
  seconds: number;
  turns_per_s: number;
  turn_latency: LatencySummary;
  /** Refused messages by error code; a refused turn stops its group. */
  refused: Record<string, number>;
}

/**
 * Round-robin turn-taking: the holder names the next member; the named agent speaks as soon as its `turn` arrives.
 * Turn latency is from the previous speaker's send to the next speaker receiving its `turn`.
 */
export async function turnTaking(hub: Hub, groups: BenchGroup[], turnsPerGroup: number): Promise<TurnTakingResult> {
  interface State { group: BenchGroup; holder: number; named: number; sentAt: number; turns: number }
  const states = new Map<string, State>(groups.map((g) => [g.id, { group: g, holder: holderOf(g), named: -1, sentAt: 0, turns: 0 }]));
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let unfinished = groups.length;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const groupDone = () => --unfinished === 0 && finish();

  const speak = (s: State) => {
    const members = s.group.members;
    s.named = (s.holder + 1) % members.length;
    s.sentAt = performance.now();
    void send(members[s.holder], discussion(s.group.id, [members[s.named].id])).then((ack: Ack) => {
      if (ack.ok) return;
      countInto(refused, ack.error.code);
      s.named = -1;
      groupDone();
    });
  };
  hub.onTurn = (agent, e) => {
    const s = states.get(e.group_id);
    if (!s || s.named < 0 || s.group.members[s.named] !== agent) return;
    latencies.push(performance.now() - s.sentAt);
    s.holder = s.named;
    s.named = -1;
    holders.set(s.group, s.holder);
    if (++s.turns >= turnsPerGroup) return void groupDone();
    speak(s);
  };
  const started = performance.now();
  try {
    for (const s of states.values()) speak(s);
    await withDeadline(finished, PHASE_LIMIT_MS, 'turn-taking');
  } finally {
    hub.idle();
  }
  const seconds = (performance.now() - started) / 1000;
  return { turns: latencies.length, seconds: round(seconds), turns_per_s: round(latencies.length / seconds, 0), turn_latency: summarize(latencies), refused };
}

export interface BroadcastResult {
  accepted: number;
  refused: Record<string, number>;
  deliveries: number;
  seconds: number;
  messages_per_s: number;
  deliveries_per_s: number;
  ack_latency: LatencySummary;
}

/**
 * Everyone posts: every message names all members as next speakers, so any member holds the turn at any time.
 * Each agent posts `perAgent` messages in a closed loop (the next once the previous is acknowledged).
 * Deliveries count `message` events received by subscribers (all members, the sender included).
 */
export async function broadcast(hub: Hub, groups: BenchGroup[], perAgent: number): Promise<BroadcastResult> {
  await openFloor(groups);
  const ids = new Set(groups.map((g) => g.id));
  await sleep(200); // let the opening messages land before counting
  let deliveries = 0;
  let lastDelivery = 0;
  hub.onMessage = (_agent, m) => {
    if (!ids.has(m.header.group_id)) return;
    deliveries++;
    lastDelivery = performance.now();
  };
  let accepted = 0;
  let expected = 0;
  const refused: Record<string, number> = {};
  const acks: number[] = [];
  const started = performance.now();
  let sendsDone = started;
  const post = async (g: BenchGroup, agent: BenchAgent) => {
    const everyone = g.members.map((m) => m.id);
    for (let i = 0; i < perAgent; i++) {
      const t = performance.now();
      const ack = await send(agent, discussion(g.id, everyone));
      acks.push(performance.now() - t);
      if (!ack.ok) countInto(refused, ack.error.code);
      else (accepted++, (expected += g.members.length));
    }
  };
  try {
    await withDeadline(Promise.all(groups.flatMap((g) => g.members.map((a) => post(g, a)))), PHASE_LIMIT_MS, 'broadcast');
    sendsDone = performance.now();
    await waitUntil(() => deliveries >= expected, DRAIN_MS);
  } finally {
    hub.idle();
  }
  const busy = (Math.max(lastDelivery, sendsDone) - started) / 1000;
  return {
    accepted, refused, deliveries, seconds: round(busy),
    messages_per_s: round(accepted / busy, 0), deliveries_per_s: round(deliveries / busy, 0), ack_latency: summarize(acks),
  };
}

export interface OpenLoopResult {
  offered_per_s: number;
  achieved_send_per_s: number;
  /** Accepted messages over the time from the first send to the last ack: below the offered rate, the server fell behind. */
  processed_per_s: number;
  kept_up: boolean;
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  /** From the message's scheduled send time to its arrival at each other member (warm-up excluded). */
  delivery_latency: LatencySummary;
  /** From the scheduled send time to the sender's ack (warm-up excluded). */
  ack_latency: LatencySummary;
  drained: boolean;
}

/** One open-loop run's raw figures, so that runs in several client processes can be merged before summarising. */
export interface OpenLoopPart {
  rate: number;
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  send_seconds: number;
  /** Accepted messages per second from the first send to the last ack. */
  processed_per_s: number;
  drained: boolean;
  delivery: number[];
  ack: number[];
}

/**
 * Open loop: messages are sent on a fixed schedule (`rate` per second, spread round-robin over groups and their
 * members) whether or not earlier ones were answered, so a server that falls behind shows it as latency.
 * Latency is taken from the scheduled time, not the actual send, so that a late sender does not hide queueing.
 */
export async function openLoop(hub: Hub, groups: BenchGroup[], rate: number, warmupS: number, seconds: number): Promise<OpenLoopResult> {
  return mergeOpenLoop([await openLoopPart(hub, groups, rate, warmupS, seconds)]);
}

export function mergeOpenLoop(parts: OpenLoopPart[]): OpenLoopResult {
  const sum = (f: (p: OpenLoopPart) => number) => parts.reduce((n, p) => n + f(p), 0);
  const refused: Record<string, number> = {};
  for (const p of parts) for (const [code, n] of Object.entries(p.refused)) refused[code] = (refused[code] ?? 0) + n;
  const rate = sum((p) => p.rate);
  const processed = sum((p) => p.processed_per_s);
  const drained = parts.every((p) => p.drained);
  return {
    offered_per_s: rate, achieved_send_per_s: round(sum((p) => p.sent / p.send_seconds), 0), processed_per_s: round(processed, 0),
    kept_up: drained && processed >= 0.95 * rate, sent: sum((p) => p.sent), accepted: sum((p) => p.accepted), refused,
    delivery_latency: summarize(parts.flatMap((p) => p.delivery)), ack_latency: summarize(parts.flatMap((p) => p.ack)), drained,
  };
}

export async function openLoopPart(hub: Hub, groups: BenchGroup[], rate: number, warmupS: number, seconds: number): Promise<OpenLoopPart> {
  await openFloor(groups);
  await sleep(200);
  const scheduled = new Map<string, { at: number; sender: BenchAgent; measured: boolean }>();
  const delivery: number[] = [];
  const ackLatency: number[] = [];
  const refused: Record<string, number> = {};
  let accepted = 0;
  let acked = 0;
  let lastAck = 0;
  let delivered = 0;
  let expected = 0;
  hub.onMessage = (agent, m) => {
    const s = scheduled.get(m.header.message_id);
    if (!s || agent === s.sender) return;
    delivered++;
    if (s.measured) delivery.push(performance.now() - s.at);
  };
  const total = Math.round(rate * (warmupS + seconds));
  const t0 = performance.now();
  const measureFrom = t0 + warmupS * 1000;
  let k = 0;
  const everyone = new Map(groups.map((g) => [g.id, g.members.map((m) => m.id)]));
  const tick = () => {
    for (const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1); k < due; k++) {
      const g = groups[k % groups.length];
      const sender = g.members[Math.floor(k / groups.length) % g.members.length];
      const envelope = discussion(g.id, everyone.get(g.id) as string[]);
      const at = t0 + (k * 1000) / rate;
      const measured = at >= measureFrom;
      scheduled.set(envelope.header.message_id, { at, sender, measured });
      void send(sender, envelope).then((ack) => {
        acked++;
        lastAck = performance.now();
        if (measured) ackLatency.push(performance.now() - at);
        if (!ack.ok) return countInto(refused, ack.error.code);
        accepted++;
        expected += g.members.length - 1;
      });
    }
  };
  let sendSeconds = 0;
  let drained = false;
  try {
    await withDeadline(new Promise<void>((resolve) => {
      const loop = () => (tick(), k >= total ? resolve() : setTimeout(loop, 1));
      loop();
    }), PHASE_LIMIT_MS, 'open loop');
    sendSeconds = (performance.now() - t0) / 1000;
    drained = await waitUntil(() => acked >= total && delivered >= expected, DRAIN_MS);
    // An overloaded server's backlog must not spill into the next phase: wait it out (not counted as drained).
    if (!drained) await waitUntil(() => acked >= total, PHASE_LIMIT_MS);
  } finally {
    hub.idle();
  }
  return {
    rate, sent: total, accepted, refused, send_seconds: sendSeconds, processed_per_s: accepted / ((lastAck - t0) / 1000),
    drained, delivery, ack: ackLatency,
  };
}
