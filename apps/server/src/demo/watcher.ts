import { Envelope, TreeNode } from '@ioa/protocol';
import { io, Socket } from 'socket.io-client';
import { Api, api } from './http';
import { clip, Timeline } from './timeline';

interface Decision {
  needs: { need: string | null; candidates: { agent_id: string; score: number }[] }[];
}

type Payload = Record<string, any>;

/**
 * Watches a goal the way a person would, with an observer token scoped to it: finds the goal's root team in its tree,
 * follows each sub-team from the `subteam_formed` announcement in the group above it, subscribes to every group from
 * seq 0, and prints every message and state change as one line. Team-up decisions and the pass-through
 * `async_task_assignment` state are read with the admin token.
 */
export class GoalWatcher {
  private socket: Socket | null = null;
  private poller: NodeJS.Timeout | null = null;
  /** The groups followed, with their level in the tree (0: the root team). */
  private readonly subscribed = new Map<string, number>();
  private readonly lastSeq = new Map<string, number>();
  private readonly states = new Map<string, string>();
  private readonly taskNames = new Map<string, string>();
  /** When each group's latest message happened, to date the group_state event that follows it. */
  private readonly lastAt = new Map<string, number>();
  private queue = Promise.resolve();
  private rootId: string | null = null;
  private observer: Api;
  rootClosed = false;

  constructor(private readonly url: string, private readonly token: string, private readonly admin: Api, private readonly out: Timeline) {
    this.observer = api(url, token);
  }

  async start(goalId: string): Promise<void> {
    const socket = io(this.url, { transports: ['websocket'], auth: { token: this.token }, reconnectionDelay: 200 });
    this.socket = socket;
    socket.on('message', (env: Envelope) => this.enqueue(() => this.onMessage(env)));
    socket.on('group_state', (e: { group_id: string; state: string }) => this.enqueue(async () => this.state(e.group_id, e.state, this.lastAt.get(e.group_id))));
    // Rooms belong to sockets: after a reconnection, subscribe again from the last seq printed.
    socket.io.on('reconnect', () => {
      for (const g of this.subscribed.keys()) socket.emit('subscribe', { group_id: g, after_seq: this.lastSeq.get(g) ?? 0 }, () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => reject(new Error(`observer socket: ${e.message}`)));
    });
    // Only the root team is polled for: sub-teams are announced in their parent group.
    const poll = () => this.discover(goalId).catch(() => undefined);
    this.poller = setInterval(() => void poll(), 150);
    await poll();
  }

  /** The goal's team tree, as the observer token reads it. */
  tree(goalId: string): Promise<TreeNode[]> {
    return this.observer<TreeNode[]>('GET', `/v1/goals/${goalId}/tree`);
  }

  /** Resolves once everything received so far is printed. */
  drained(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.socket?.close();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: Error) => this.out.line('demo', `printer: ${e.message}`));
  }

  private async discover(goalId: string): Promise<void> {
    if (this.rootId) return;
    const root = (await this.tree(goalId))[0];
    if (!root || this.rootId) return;
    this.rootId = root.group_id;
    if (this.poller) clearInterval(this.poller);
    await this.follow(root.group_id, 0);
  }

  /** Subscribes to a group of the tree from its first message (a replay, then live messages). */
  private async follow(groupId: string, level: number): Promise<void> {
    if (this.subscribed.has(groupId)) return;
    this.subscribed.set(groupId, level);
    this.out.labelGroup(groupId, level);
    const ack = await this.socket!.timeout(5000).emitWithAck('subscribe', { group_id: groupId, after_seq: 0 });
    if (!ack?.ok) throw new Error(`subscribe ${groupId}: ${JSON.stringify(ack?.error)}`);
  }

  private async onMessage(env: Envelope): Promise<void> {
    const { group_id: g, seq, state, type, sender } = env.header;
    if (seq <= (this.lastSeq.get(g) ?? 0)) return; // a replay overlapping what was printed
    this.lastSeq.set(g, seq);
    const at = Date.parse(env.header.timestamp);
    this.lastAt.set(g, at);
    // History replays carry no group_state events: the state each message was accepted in shows the changes.
    if (type !== 'system') this.state(g, state, at);
    const p = env.payload as Payload;
    const who = this.out.name(sender);
    const task = (id: string) => `"${this.taskNames.get(id) ?? id.slice(0, 8)}"`;
    const line = (text: string) => this.out.line(g, text, at);
    switch (type) {
      case 'team_formation':
        line(`${who} forms the team by need (team formation by meaning):`);
        return this.printDecision(g, at);
      case 'system':
        return this.system(g, p, task, at);
      case 'discussion':
        return line(`${who} → ${p.next_speaker.length ? this.out.nameList(p.next_speaker) : 'coordinator'}: "${clip(p.content)}"`);
      case 'task_assignment':
        for (const t of p.tasks as Payload[]) {
          this.taskNames.set(t.task_id, t.task_abstract);
          line(`${who} assigns ${p.mode}: ${task(t.task_id)} → ${this.out.nameList(t.assignee)}`);
        }
        return p.mode === 'async' ? this.passThrough(g, at) : undefined;
      case 'task_reply':
        return line(`${who} ${p.accept ? 'accepts' : `rejects (${p.reason ?? 'declined'})`} ${task(p.task_id)}`);
      case 'task_progress':
        return line(`${who} ${Math.round(p.progress * 100)}% on ${task(p.task_id)}: ${clip(p.note, 90)}`);
      case 'task_result':
        return line(`${who} result ${p.status} for ${task(p.task_id)}: ${clip(p.task_conclusion.replace(/\n/g, '; '), 100)}`);
      case 'pause_and_trigger':
        return line(`${who} pause_and_trigger: discussion waits for ${(p.triggers as string[]).map(task).join(', ')}`);
      case 'conclusion':
        return line(`${who} conclusion: "${clip(p.summary, 150)}"`);
      default:
        return line(`${who} ${type} ${clip(JSON.stringify(p), 80)}`);
    }
  }

  private async system(g: string, p: Payload, task: (id: string) => string, at: number): Promise<void> {
    const line = (text: string) => this.out.line(g, text, at);
    switch (p.event) {
      case 'subteam_formed':
        await this.follow(p.group_id, (this.subscribed.get(g) ?? 0) + 1);
        return line(`${this.out.name(p.coordinator)} forms sub-team ${this.out.label(p.group_id)} for ${task(p.task_id)}: "${clip(p.goal, 80)}"`);
      case 'member_joined':
        return line(`${this.out.name(p.agent_id)} joined${p.need ? ` for "${p.need}"` : ''}`);
      case 'goal':
        return line(`team complete, discussion opens: ${this.out.nameList(p.members)} (coordinator ${this.out.name(p.coordinator)})`);
      case 'tasks_settled':
        return line(`${p.text}: ${(p.results as Payload[]).map((r) => `${task(r.task_id)} ${r.state}`).join(', ')}`);
      case 'subteam_closed':
        return line(`sub-team ${this.out.labelGroup(p.group_id, 1)} concluded, which settles ${task(p.task_id)}: ${p.state}`);
      case 'group_closed':
        this.state(g, 'closed', at);
        if (g === this.rootId) this.rootClosed = true;
        return line(`group closed: ${p.reason}${p.by && p.by !== 'system' ? ` by ${this.out.name(p.by)}` : ''}`);
      default:
        return line(`system: ${clip(p.text ?? p.event)}`);
    }
  }

  private state(g: string, state: string, at?: number): void {
    const before = this.states.get(g);
    if (before === state) return;
    this.states.set(g, state);
    this.out.line(g, `state ${before ? `${before} → ` : ''}${state}`, at);
  }

  /** `async_task_assignment` is entered and left within one step (no group_state event): the audit log shows it. */
  private async passThrough(g: string, at: number): Promise<void> {
    const log = await this.admin<{ action: string; detail: { from: string; to: string } }[]>('GET', `/v1/audit?group_id=${g}&limit=100`);
    const steps = log.filter((a) => a.action === 'transition').reverse().map((a) => a.detail);
    const i = steps.map((s) => s.to).lastIndexOf('async_task_assignment');
    if (i < 0) return;
    const back = steps[i + 1]?.to ?? 'discussion';
    this.states.set(g, back);
    this.out.line(g, `state ${steps[i].from} → async_task_assignment → ${back} (one step; from the audit log)`, at);
  }

  private async printDecision(g: string, at: number): Promise<void> {
    const decision = await this.admin<Decision>('GET', `/v1/teams/${g}/decision`);
    for (const n of decision.needs) {
      const [best, ...rest] = n.candidates;
      const others = rest.slice(0, 2).map((c) => `${this.out.name(c.agent_id)} ${c.score.toFixed(3)}`).join(', ');
      this.out.line(g, `  need "${n.need ?? 'named'}" → ${best ? `${this.out.name(best.agent_id)} (score ${best.score.toFixed(3)})` : 'nobody'}${others ? `; next: ${others}` : ''}`, at);
    }
  }
}
