import type { Envelope, ErrorBody, GoalView, TreeNode } from '@ioa/protocol';
import { io, Socket } from 'socket.io-client';
import { ConnectionFailed, IoAError } from '../errors';
import { RestClient } from '../rest';
import { idsIn, idsInText, messageLines, named, Words } from './message-lines';
import { Names } from './names';
import { Timeline } from './timeline';

type Payload = Record<string, any>;
interface Decision {
  needs: { need: string | null; candidates: { agent_id: string; score: number }[] }[];
}

const SETTLED_GOAL = ['completed', 'failed', 'canceled'];


export interface GoalWatcherOptions {
  /** Where the lines go; default: a Timeline on stdout. */
  out?: Timeline;
  /**
   * A client allowed more than the watching token, for details an observer may not read: team-up decisions and the
   * audit log (an admin's). Default: the watching token's own; a refused detail is left out.
   */
  details?: RestClient;
  /** How often the goal is read (its status, hand-overs, and its root team until that exists). Default 1000 ms. */
  pollMs?: number;
}

/**
 * Watches a goal as a person would, with any token that may read it (an observer scoped to the goal is enough): reads
 * the goal until its root team exists, follows each sub-team from the `subteam_formed` announcement in the group above
 * it, subscribes to every group from seq 0, and prints every message and state change as one line of a Timeline,
 * with agents' names and progress bars. After a disconnection or a server restart it subscribes again from the last
 * seq printed, so nothing is lost or printed twice. `ioa goal watch` and `npm run demo` print with it.
 * @example
 * const watcher = new GoalWatcher(url, observerToken);
 * await watcher.start(goalId);
 * const goal = await watcher.settled(600_000); // completed, failed or canceled
 * watcher.stop();
 */
export class GoalWatcher {
  readonly out: Timeline;
  private readonly rest: RestClient;
  private readonly details: RestClient;
  private readonly names: Names;
  private socket: Socket | null = null;
  private poller: NodeJS.Timeout | null = null;
  /** The groups followed, with their level in the tree (0: the root team). */
  private readonly subscribed = new Map<string, number>();
  private readonly lastSeq = new Map<string, number>();
  private readonly states = new Map<string, string>();
  private readonly taskNames = new Map<string, string>();
  /** When each group's latest message happened, to date the group_state event that follows it. */
  private readonly lastAt = new Map<string, number>();
  private readonly said = new Set<string>();
  private queue = Promise.resolve();
  private rootId: string | null = null;
  private goalId = '';
  private goal: GoalView | null = null;
  private failure: Error | null = null;
  /** When the goal was first read as settled. */
  private settledAt: number | null = null;
  private away = false;
  rootClosed = false;
  private readonly words: Words = {
    name: (id) => this.out.name(id),
    task: (id) => `"${this.taskNames.get(id) ?? id.slice(0, 8)}"`,
    label: (groupId) => this.out.labelGroup(groupId, 1),
  };

  constructor(private readonly url: string, private readonly token: string, private readonly options: GoalWatcherOptions = {}) {
    this.out = options.out ?? new Timeline();
    this.rest = new RestClient(url, { token: () => token });
    this.details = options.details ?? this.rest;
    this.names = new Names(this.rest);
  }

  /** Connects and starts following the goal; rejects when the socket is refused (bad token, server down). */
  async start(goalId: string): Promise<void> {
    this.goalId = goalId;
    const socket = io(this.url, { transports: ['websocket'], auth: { token: this.token }, reconnectionDelay: 200, reconnectionDelayMax: 2000 });
    this.socket = socket;
    socket.on('message', (env: Envelope) => this.enqueue(() => this.onMessage(env)));
    socket.on('group_state', (e: { group_id: string; state: string }) => this.enqueue(async () => this.state(e.group_id, e.state, this.lastAt.get(e.group_id))));
    // Rooms belong to sockets: after a reconnection, subscribe again from the last seq printed. A server that shuts
    // down closes sockets itself, and socket.io does not reconnect those on its own.
    socket.on('connect', () => {
      for (const g of this.subscribed.keys()) void this.subscribe(g);
    });
    socket.on('disconnect', (reason) => reason === 'io server disconnect' && socket.connect());
    // The first connection decides: a refusal by the server carries its error code (a bad token: UNAUTHORIZED),
    // anything else is the network's. Later connection errors are reconnection attempts, which socket.io repeats.
    await new Promise<void>((resolve, reject) => {
      const refused = (e: Error & { data?: ErrorBody }) => {
        socket.close();
        reject(e.data?.code ? new IoAError(e.data) : new ConnectionFailed(this.url, e.message));
      };
      socket.once('connect_error', refused);
      socket.once('connect', () => {
        socket.off('connect_error', refused);
        resolve();
      });
    });
    // One read at a time (a slow server must not pile them up), and none once the goal is settled.
    let reading = false;
    const poll = () => {
      if (reading) return;
      reading = true;
      this.enqueue(() => this.read(goalId).finally(() => (reading = false)));
    };
    this.poller = setInterval(poll, this.options.pollMs ?? 1000);
    poll();
    await this.queue;
    if (this.failure) {
      this.stop();
      throw this.failure;
    }
  }

  /** Resolves with the goal once it is completed, failed or canceled and its root team's last lines are in. */
  async settled(timeoutMs: number): Promise<GoalView> {
    const giveUpAt = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const g = this.goal;
      // A root team closes in the same step that settles the goal; its closing line may be a moment behind.
      if (this.settledAt !== null && (this.rootClosed || !this.rootId || Date.now() - this.settledAt > 3000)) {
        await this.queue;
        return g!;
      }
      if (Date.now() > giveUpAt) throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s: goal ${this.goalId} is still ${g?.status ?? 'unknown'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resolves once everything received so far is printed. */
  drained(): Promise<void> {
    return this.queue;
  }

  /** Stops following, after printing every line still held. */
  stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.socket?.close();
    this.out.flush();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: Error) => this.out.line('watch', `could not print: ${e.message}`));
  }

  /** One read of the goal: status and hand-overs as they change, and the root team once it exists. */
  private async read(goalId: string): Promise<void> {
    let goal: GoalView & { tree?: TreeNode[] };
    try {
      goal = (await this.rest.getGoal(goalId)) as GoalView & { tree?: TreeNode[] };
    } catch (e) {
      const unreachable = e instanceof ConnectionFailed || (e instanceof IoAError && e.code === 'UNAVAILABLE');
      if (!unreachable) this.failure = e as Error;
      else if (!this.away) this.out.line('goal', `server unreachable (${(e as Error).message}); retrying`);
      this.away = unreachable;
      return;
    }
    if (this.away) this.out.line('goal', 'server reachable again');
    this.away = false;
    // A watch of its own starts its clock when the goal was submitted, so that the history replayed has no negative times.
    if (!this.goal && !this.options.out) this.out.startAt(Date.parse(goal.created_at));
    this.goal = goal;
    await this.learn([goal.coordinator, ...goal.handovers.flatMap((h) => [h.from, h.to])]);
    if (goal.status === 'pending') this.once('goal', `waiting for ${this.out.name(goal.coordinator)} to form the team`);
    for (const h of goal.handovers) this.once('goal', `${this.out.name(h.from)} did not form a team in time: the goal passed to ${this.out.name(h.to)}`, Date.parse(h.at));
    if (SETTLED_GOAL.includes(goal.status)) {
      this.settledAt ??= Date.now();
      if (this.poller) clearInterval(this.poller);
      await this.learn(idsInText(goal.reason ?? ''));
      this.once('goal', `goal ${goal.status}${goal.reason ? `: ${named(goal.reason, this.words)}` : ''}`);
    }
    const root = goal.tree?.find((n) => n.group_id === goal.root_group_id);
    if (root && !this.rootId) {
      this.rootId = root.group_id;
      await this.follow(root.group_id, 0);
    }
  }

  /** Prints a line once per text (goal lines are re-read on every poll). */
  private once(where: string, text: string, at?: number): void {
    if (this.said.has(text)) return;
    this.said.add(text);
    this.out.line(where, text, at);
  }

  /** Reads the names of agents not seen yet (an agent that cannot be read stays shown by the start of its id). */
  private async learn(ids: unknown[]): Promise<void> {
    const unknown = [...new Set(ids.filter((id): id is string => typeof id === 'string' && !this.out.knows(id)))];
    await Promise.all(unknown.map(async (id) => this.out.nameAgent(id, await this.names.of(id))));
  }

  /** Subscribes to a group of the tree from its first message (a replay, then live messages). */
  private async follow(groupId: string, level: number): Promise<void> {
    if (this.subscribed.has(groupId)) return;
    this.subscribed.set(groupId, level);
    this.out.labelGroup(groupId, level);
    await this.subscribe(groupId);
  }

  /**
   * Subscribes from the last seq printed. Not now (the server reloading the group, a burst of subscriptions, a socket
   * being replaced, no answer) is retried with backoff while the socket is up; a reconnection subscribes again anyway.
   * A refusal for good is printed.
   */
  private async subscribe(groupId: string, attempt = 0): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    const ack = await socket.timeout(5000).emitWithAck('subscribe', { group_id: groupId, after_seq: this.lastSeq.get(groupId) ?? 0 }).catch(() => null);
    if (ack?.ok) return;
    if (!ack || ['UNAVAILABLE', 'RATE_LIMITED', 'CONFLICT'].includes(ack.error?.code)) {
      if (attempt < 8) setTimeout(() => void this.subscribe(groupId, attempt + 1), Math.min(200 * 2 ** attempt, 5000)).unref();
      return;
    }
    this.out.line(groupId, `cannot follow this group: ${ack.error.code}: ${ack.error.message}`);
  }

  private async onMessage(env: Envelope): Promise<void> {
    const { group_id: g, seq, state, type } = env.header;
    if (seq <= (this.lastSeq.get(g) ?? 0)) return; // a replay overlapping what was printed
    this.lastSeq.set(g, seq);
    const at = Date.parse(env.header.timestamp);
    this.lastAt.set(g, at);
    // History replays carry no group_state events: the state each message was accepted in shows the changes.
    if (type !== 'system') this.state(g, state, at);
    const p = env.payload as Payload;
    await this.learn(idsIn(env));
    if (type === 'task_assignment') for (const t of p.tasks as Payload[]) this.taskNames.set(t.task_id, t.task_abstract);
    if (p.event === 'subteam_formed') await this.follow(p.group_id, (this.subscribed.get(g) ?? 0) + 1);
    if (p.event === 'group_closed') {
      this.state(g, 'closed', at);
      if (g === this.rootId) this.rootClosed = true;
    }
    for (const text of messageLines(env, this.words)) this.out.line(g, text, at);
    if (type === 'team_formation') await this.printDecision(g, at);
    if (type === 'task_assignment' && p.mode === 'async') await this.passThrough(g, at);
  }

  private state(g: string, state: string, at?: number): void {
    const before = this.states.get(g);
    if (before === state) return;
    this.states.set(g, state);
    this.out.line(g, `state ${before ? `${before} → ` : ''}${state}`, at);
  }

  /** `async_task_assignment` is entered and left within one step (no group_state event): the audit log shows it. */
  private async passThrough(g: string, at: number): Promise<void> {
    const log = await this.details.request<{ action: string; detail: { from: string; to: string } }[]>('GET', `/audit?group_id=${g}&limit=100`).catch(() => null);
    const steps = (log ?? []).filter((a) => a.action === 'transition').reverse().map((a) => a.detail);
    const i = steps.map((s) => s.to).lastIndexOf('async_task_assignment');
    if (i < 0) return;
    const back = steps[i + 1]?.to ?? 'discussion';
    this.states.set(g, back);
    this.out.line(g, `state ${steps[i].from} → async_task_assignment → ${back} (one step; from the audit log)`, at);
  }

  private async printDecision(g: string, at: number): Promise<void> {
    const decision = await this.details.request<Decision>('GET', `/teams/${g}/decision`).catch(() => null);
    for (const n of decision?.needs ?? []) {
      await this.learn(n.candidates.slice(0, 3).map((c) => c.agent_id));
      const [best, ...rest] = n.candidates;
      const others = rest.slice(0, 2).map((c) => `${this.out.name(c.agent_id)} ${c.score.toFixed(3)}`).join(', ');
      this.out.line(g, `  need "${n.need ?? 'named'}" → ${best ? `${this.out.name(best.agent_id)} (score ${best.score.toFixed(3)})` : 'nobody'}${others ? `; next: ${others}` : ''}`, at);
    }
  }
}
