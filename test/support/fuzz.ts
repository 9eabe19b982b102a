import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** Seeded and bounded by default; `IOA_FUZZ_RUNS` and `IOA_FUZZ_SEED` widen or replay a run. */
export const FUZZ = { seed: Number(process.env.IOA_FUZZ_SEED ?? 20261206), runs: (n: number) => Number(process.env.IOA_FUZZ_RUNS ?? n) };

/** `leaf` inside `levels` alternating objects and arrays, built without recursion. */
export function nested(levels: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

/** A valid envelope of each kind a client sends, as a starting point for mutations. */
export function validEnvelopes(groupId: string, member: string): Record<string, unknown>[] {
  const header = (type: string) => ({ protocol: 'ioa/1', message_id: randomUUID(), group_id: groupId, type });
  return [
    { header: header('discussion'), payload: { content: 'hello', next_speaker: [member] } },
    { header: header('task_assignment'), payload: { mode: 'sync', tasks: [{ task_desc: 'd', task_abstract: 'a', assignee: [member] }] } },
    { header: header('task_reply'), payload: { task_id: randomUUID(), accept: true } },
    { header: header('conclusion'), payload: { summary: 'done' } },
    { header: { ...header('team_formation'), group_id: undefined }, payload: { goal: 'g', team_members: [member] } },
  ];
}

const weird = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
  fc.constantFrom(null, undefined, '', 0, -1, 1e400, Number.NaN, [], {}, [[]], 'x'.repeat(70_000)),
  // Past about 5,000 levels socket.io-client's own encoder overflows (test/hostile-input.e2e-spec.ts sends raw packets).
  fc.integer({ min: 30, max: 2000 }).map((n) => nested(n)),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}').map((s) => JSON.parse(s) as unknown),
);

/**
 * Replaces the value at a random path of `base` (or drops it), so that types, shapes and sizes are confused. Each case
 * gets its own `message_id`, so that an accepted one is not answered as a resend of an earlier case.
 */
function mutate(base: unknown, messageId: string, path: string[], value: unknown, drop: boolean): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  (copy.header as Record<string, unknown>).message_id = messageId;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (!at || typeof at[key] !== 'object' || at[key] === null) return copy;
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (drop) delete at[last];
  else at[last] = value;
  return copy;
}

const PATHS = [['header'], ['header', 'type'], ['header', 'group_id'], ['header', 'message_id'], ['header', 'protocol'], ['payload'],
  ['payload', 'content'], ['payload', 'next_speaker'], ['payload', 'tasks'], ['payload', 'task_id'], ['payload', 'goal'],
  ['payload', 'team_members'], ['ext'], ['payload', '__proto__'], ['header', 'sender']];

/** Inputs for one socket event: random values, mutated valid envelopes, deep nesting and prototype keys. */
export function hostileInput(groupId: string, member: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    weird,
    fc.tuple(fc.constantFrom(...validEnvelopes(groupId, member)), fc.uuid(), fc.constantFrom(...PATHS), weird, fc.boolean())
      .map(([base, id, path, value, drop]) => mutate(base, id, path, value, drop)),
    fc.record({ group_id: fc.oneof(fc.constant(groupId), fc.string()), after_seq: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
    fc.record({ invite_id: fc.oneof(fc.uuid(), fc.string()), accept: fc.anything({ maxDepth: 1 }), reason: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
  );
}
