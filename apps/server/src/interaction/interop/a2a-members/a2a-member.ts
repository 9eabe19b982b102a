import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Message, Part, SendMessageRequest, Task, TaskState } from '@a2a-js/sdk';
import { Client, ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import type { Agent } from '@ioa/client';
import { ENVELOPE_LIMITS } from '@ioa/protocol';
import { clip, outcome, passTurnBack, taskText } from '@ioa/client/wrappers/outcome';
import type { TaskOutcome, TaskView } from '@ioa/client';
import type { InvitePolicy } from '../../../data/registry/hosted-agent.entity';
import { OutboundPolicy } from '../../../foundation/integration/outbound';
import { ENDED_STATES } from '../a2a/goal-task';
import { RemoteCard } from './remote-card';

/** How often a remote task that does not stream is read again while it works. */
const POLL_MS = 1000;
const ASKS = new Set([TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED]);

export interface MemberOptions {
  /** The remote agent as last read, and its A2A client: swapped by a re-import without a new connection. */
  remote(): { card: RemoteCard; client: Client };
  invitePolicy(): InvitePolicy;
  timeoutMs: number;
  /** Told of every call to the remote agent, for the audit log. */
  audit(detail: { task_id: string; group_id: string; state: string; ms: number; error?: string }): void;
}

/** The A2A SDK's client for the remote agent, on its chosen interface, its calls under the outbound policy. */
export async function remoteClient(o: { remote: RemoteCard; policy: OutboundPolicy; secret: string | null; timeoutMs: number }): Promise<Client> {
  const fetchImpl = o.policy.fetchImpl(o.timeoutMs, o.secret ? { authorization: o.secret } : {});
  const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } })] });
  return new ClientFactory(options).createFromAgentCard({ ...o.remote.card, supportedInterfaces: [o.remote.iface] });
}

/**
 * What the server does for a hosted A2A agent in groups: answers invites by its import policy, hands turns back to
 * the coordinator, and sends each task to the remote agent (streaming when its card says so, else polling), its
 * states becoming the task's: working is progress, completed is the result (its artifacts' text), failed, rejected
 * and canceled fail it, and input-required posts the question for the coordinator and fails the task with it (the
 * coordinator may assign it again with what was asked). A task not finished within `timeoutMs` fails, and the remote
 * task is canceled.
 */
export function a2aMember(o: MemberOptions): Agent {
  const { card } = o.remote().card;
  return {
    card: { name: card.name, description: card.description || card.name, capabilities: [] },
    onInvite: () => (o.invitePolicy() === 'accept' ? { accept: true } : { accept: false, reason: 'this hosted A2A agent declines invites (its import policy)' }),
    onTurn: passTurnBack,
    onTask: async (task, ctx) => {
      const started = Date.now();
      const signal = AbortSignal.timeout(o.timeoutMs);
      const { card: remote, client } = o.remote();
      // A note the server refuses (a rate limit) must not fail the task: progress is a courtesy.
      const progress = (note: string) => ctx.progress(0.5, clip(note, ENVELOPE_LIMITS.abstractMax)).catch(() => undefined);
      const seen: { taskId?: string } = {};
      let done: TaskOutcome;
      try {
        const last = await run(client, task, Boolean(remote.card.capabilities?.streaming), signal, progress, seen);
        done = await settle(last, progress);
        o.audit({ task_id: task.id, group_id: task.group_id, state: stateName(last), ms: Date.now() - started });
      } catch (e) {
        const why = signal.aborted ? `no answer within ${Math.round(o.timeoutMs / 1000)} s` : clip(e instanceof Error ? e.message : String(e), 500);
        // Best effort: the remote agent need not go on with work nobody waits for.
        if (seen.taskId) void client.cancelTask({ tenant: '', id: seen.taskId, metadata: {} }, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        o.audit({ task_id: task.id, group_id: task.group_id, state: 'error', ms: Date.now() - started, error: why });
        done = outcome('failed', `the A2A agent ${remote.card.name} failed: ${why}`);
      }
      return done;
    },
  };
}

/** Sends the task and follows it to an end or a question: the last task (or the agent's message) it saw. */
async function run(client: Client, task: TaskView, streams: boolean, signal: AbortSignal, progress: (note: string) => Promise<unknown>, seen: { taskId?: string }): Promise<Task | Message> {
  const request = SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: taskText(task) }], metadata: { ioa_task_id: task.id, ioa_group_id: task.group_id } },
    // Not streamed: answered at once with the remote task, which is then polled (and canceled if it takes too long).
    ...(streams ? {} : { configuration: { returnImmediately: true } }),
  });
  if (streams) {
    let last: Task | Message | undefined;
    for await (const event of client.sendMessageStream(request, { signal })) {
      const p = event.payload;
      if (p?.$case === 'task' || p?.$case === 'message') last = p.value;
      if (p?.$case === 'task') seen.taskId = p.value.id;
      if (p?.$case === 'statusUpdate' && last && 'status' in last) {
        last = { ...last, status: p.value.status };
        const note = textOf(p.value.status?.message?.parts);
        if (p.value.status?.state === TaskState.TASK_STATE_WORKING && note) await progress(note);
      }
      if (p?.$case === 'artifactUpdate' && last && 'artifacts' in last && p.value.artifact) last = { ...last, artifacts: [...last.artifacts, p.value.artifact] };
    }
    if (!last) throw new Error('the stream ended without a task');
    return last;
  }
  let last = await client.sendMessage(request, { signal });
  if ('status' in last) seen.taskId = last.id;
  while ('status' in last && last.status && !ENDED_STATES.has(last.status.state) && !ASKS.has(last.status.state)) {
    await sleep(POLL_MS, undefined, { signal });
    last = await client.getTask({ tenant: '', id: last.id }, { signal });
  }
  return last;
}

async function settle(last: Task | Message, progress: (note: string) => Promise<unknown>): Promise<TaskOutcome> {
  if (!('status' in last)) return outcome('completed', textOf(last.parts) || '(an empty answer)');
  const said = textOf(last.status?.message?.parts);
  const state = last.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
  if (state === TaskState.TASK_STATE_COMPLETED) return outcome('completed', last.artifacts.map((a) => textOf(a.parts)).filter(Boolean).join('\n\n') || said || 'done');
  if (ASKS.has(state)) {
    await progress(`question for the coordinator: ${said || 'the agent needs more input'}`);
    return outcome('failed', `the agent needs more input: ${said || '(no question given)'}`);
  }
  return outcome('failed', said || `the A2A task ended ${stateName(last)}`);
}

const textOf = (parts: Part[] = []) => parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : p.content?.$case === 'data' ? [JSON.stringify(p.content.value)] : [])).join('\n').trim();
const stateName = (last: Task | Message) => ('status' in last ? TaskState[last.status?.state ?? 0] : 'message').replace(/^TASK_STATE_/, '').toLowerCase();
