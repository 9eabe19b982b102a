import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { pool } from './stats';
import { Creds, Target } from './targets';

/** What the benchmark reads of the server's `turn` and `message` events (same shapes from ioa and the baseline). */
export interface TurnEvent {
  group_id: string;
  holders: string[];
}
export interface MessageEvent {
  header: { group_id: string; message_id: string; sender: string; seq: number };
}
export type Ack = { ok: true; seq: number } | { ok: false; error: { code: string; message: string } };

export interface BenchAgent extends Creds {
  socket: Socket;
}

export interface BenchGroup {
  id: string;
  members: BenchAgent[];
}

/** Routes every agent's incoming events to whichever workload is running; one hub per server under test. */
export class Hub {
  onTurn: (agent: BenchAgent, e: TurnEvent) => void = () => undefined;
  onMessage: (agent: BenchAgent, m: MessageEvent) => void = () => undefined;

  idle(): void {
    this.onTurn = () => undefined;
    this.onMessage = () => undefined;
  }
}

/** A paragraph-sized discussion turn (about 200 bytes on the wire with its header). */
const CONTENT = 'I checked the plan against the budget: flights fit, the hotel is 8% over; I propose we trim one night.';

export function discussion(groupId: string, nextSpeakers: string[]) {
  return {
    header: { protocol: 'ioa/1', message_id: randomUUID(), group_id: groupId, type: 'discussion' },
    payload: { content: CONTENT, next_speaker: nextSpeakers },
  };
}

/** Sends a message and resolves with its ack (a workload-level deadline guards against a lost ack). */
export function send(agent: BenchAgent, envelope: ReturnType<typeof discussion>): Promise<Ack> {
  return new Promise((resolve) => agent.socket.emit('message', envelope, resolve));
}

export function connectAll(target: Target, creds: Creds[], hub: Hub): Promise<BenchAgent[]> {
  return pool(creds.map((c) => () => connect(target.url, c, hub)), 50);
}

/** Every socket the benchmark opened, so that cleanup can close them all even after a failure half way. */
const sockets = new Set<Socket>();

export function closeAll(): void {
  for (const s of sockets) s.close();
  sockets.clear();
}

export function connect(url: string, creds: Creds, hub: Hub): Promise<BenchAgent> {
  const socket = io(url, { transports: ['websocket'], auth: { token: creds.token }, reconnection: false, forceNew: true });
  sockets.add(socket);
  const agent: BenchAgent = { ...creds, socket };
  socket.on('turn', (e: TurnEvent) => hub.onTurn(agent, e));
  socket.on('message', (m: MessageEvent) => hub.onMessage(agent, m));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(agent));
    socket.once('connect_error', (e) => reject(new Error(`agent ${creds.id} could not connect: ${e.message}`)));
  });
}

/** Makes `count` groups of `size` consecutive agents (the first coordinates) and subscribes every member. */
export async function makeGroups(target: Target, agents: BenchAgent[], count: number, size: number): Promise<BenchGroup[]> {
  if (agents.length < count * size) throw new Error(`need ${count * size} agents, have ${agents.length}`);
  const groups = await pool(Array.from({ length: count }, (_, i) => async (): Promise<BenchGroup> => {
    const members = agents.slice(i * size, (i + 1) * size);
    return { id: await target.createGroup(members[0], members.slice(1).map((m) => m.id)), members };
  }), 8);
  await subscribeAll(groups);
  return groups;
}

/** Subscribes every member of each group (50 at a time). */
export async function subscribeAll(groups: BenchGroup[]): Promise<void> {
  await pool(groups.flatMap((g) => g.members.map((m) => async () => {
    const ack = await m.socket.timeout(10_000).emitWithAck('subscribe', { group_id: g.id });
    if (!ack.ok) throw new Error(`subscribe to ${g.id} refused: ${JSON.stringify(ack.error)}`);
  })), 50);
}

/** Each coordinator names every member as next speaker, so that any of them may post from then on. */
export async function openFloor(groups: BenchGroup[]): Promise<void> {
  const acks = await Promise.all(groups.map((g) => sendAgain(g.members[0], discussion(g.id, g.members.map((m) => m.id)))));
  const refused = acks.find((a) => !a.ok);
  if (refused) throw new Error(`opening message refused: ${JSON.stringify(refused)}`);
}

/** As a client following the protocol does: an `UNAVAILABLE` ack means "send the same message again" (up to 5 times). */
async function sendAgain(agent: BenchAgent, envelope: ReturnType<typeof discussion>): Promise<Ack> {
  let ack = await send(agent, envelope);
  for (let i = 0; i < 5 && !ack.ok && ack.error.code === 'UNAVAILABLE'; i++) ack = await send(agent, envelope);
  return ack;
}
