import { randomUUID } from 'node:crypto';
import { ENVELOPE_LIMITS } from '@ioa/protocol';
import type { Agent } from '../agent';
import { AgentCard, TaskOutcome, TaskView } from '../types';
import { outcome, passTurnBack, taskText } from './outcome';

export interface HttpAgentOptions {
  card: AgentCard;
  /** The endpoint: a plain JSON POST endpoint, or an A2A JSON-RPC endpoint with `a2a: true`. */
  url: string;
  /** Speak A2A (`message/send`, JSON-RPC 2.0) instead of the plain JSON POST. */
  a2a?: boolean;
  /** Per task, polling included (default 60 s). */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** How often an A2A task still `submitted`/`working` is polled with `tasks/get` (default 500 ms). */
  pollIntervalMs?: number;
  /** Ids for JSON-RPC requests and A2A messages (injected for deterministic tests). */
  newId?: () => string;
  /** What it says when it holds the turn; default: passes it straight back to the coordinator (`passTurnBack`). */
  onTurn?: Agent['onTurn'];
}

/** The plain mode's answer; any other 2xx body is taken as the conclusion text. */
interface PlainAnswer {
  status?: 'completed' | 'failed';
  conclusion: string;
  abstract?: string;
}

interface A2APart { kind?: string; text?: string }
interface A2AMessage { kind: 'message'; role?: string; parts?: A2APart[] }
interface A2ATask { kind: 'task'; id: string; status?: { state?: string; message?: A2AMessage }; artifacts?: { parts?: A2APart[] }[] }
interface JsonRpcResponse { result?: A2ATask | A2AMessage; error?: { code: number; message: string } }

const PENDING = new Set(['submitted', 'working']);
const BODY_MAX = 4 * ENVELOPE_LIMITS.textMax;

/**
 * An agent whose tasks are done by a remote HTTP service: a plain JSON endpoint (`POST { task_id, task_desc,
 * task_abstract }` → `{ status, conclusion, abstract }` or text), or an A2A agent (`message/send`).
 * @example
 * runAgent(client, httpAgent({ card, url: 'https://agent.example/a2a', a2a: true, headers: { authorization: `Bearer ${key}` } }));
 */
export function httpAgent(options: HttpAgentOptions): Agent {
  return {
    card: options.card,
    onTurn: options.onTurn ?? passTurnBack,
    onTask: async (task) => {
      const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
      try {
        return await (options.a2a ? a2aTask(options, task, signal) : plainTask(options, task, signal));
      } catch (e) {
        return outcome('failed', signal.aborted ? `timed out after ${options.timeoutMs ?? 60_000} ms` : `${options.url}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

async function post(o: HttpAgentOptions, body: unknown, signal: AbortSignal): Promise<{ ok: boolean; status: number; type: string; text: string }> {
  const res = await fetch(o.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...o.headers }, body: JSON.stringify(body), signal });
  return { ok: res.ok, status: res.status, type: res.headers.get('content-type') ?? '', text: await readCapped(res) };
}

/** The body, at most BODY_MAX bytes of it: a misbehaving endpoint cannot fill memory. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_MAX) break;
  }
  return Buffer.concat(chunks).subarray(0, BODY_MAX).toString('utf8');
}

async function plainTask(o: HttpAgentOptions, task: TaskView, signal: AbortSignal): Promise<TaskOutcome> {
  const res = await post(o, { task_id: task.id, task_desc: taskText(task), task_abstract: task.task_abstract }, signal);
  if (!res.ok) return outcome('failed', `HTTP ${res.status}: ${res.text}`, `HTTP ${res.status}`);
  const answer = res.type.includes('json') ? parseJson<PlainAnswer>(res.text) : undefined;
  if (answer && typeof answer.conclusion === 'string') {
    return outcome(answer.status === 'failed' ? 'failed' : 'completed', answer.conclusion, answer.abstract);
  }
  return outcome('completed', res.text);
}

async function a2aTask(o: HttpAgentOptions, task: TaskView, signal: AbortSignal): Promise<TaskOutcome> {
  const newId = o.newId ?? randomUUID;
  const message = { role: 'user', messageId: newId(), parts: [{ kind: 'text', text: taskText(task) }], kind: 'message' };
  let result = await rpc(o, 'message/send', { message, configuration: { blocking: true } }, signal);
  // A non-blocking server may answer with a task still under way: poll it until it settles or time runs out.
  while (result.kind === 'task' && PENDING.has(result.status?.state ?? '')) {
    await new Promise((r) => setTimeout(r, o.pollIntervalMs ?? 500));
    signal.throwIfAborted();
    result = await rpc(o, 'tasks/get', { id: result.id }, signal);
  }
  return fromA2A(result);
}

async function rpc(o: HttpAgentOptions, method: string, params: unknown, signal: AbortSignal): Promise<A2ATask | A2AMessage> {
  const res = await post(o, { jsonrpc: '2.0', id: (o.newId ?? randomUUID)(), method, params }, signal);
  const body = parseJson<JsonRpcResponse>(res.text);
  if (body?.error) throw new Error(`A2A error ${body.error.code}: ${body.error.message}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  if (!body?.result || (body.result.kind !== 'task' && body.result.kind !== 'message')) throw new Error(`not an A2A ${method} response: ${res.text.slice(0, 500)}`);
  return body.result;
}

/** An A2A Message answers the task; an A2A Task counts as done only in `completed` (every other state fails it). */
export function fromA2A(result: A2ATask | A2AMessage): TaskOutcome {
  if (result.kind === 'message') return outcome('completed', textOf(result.parts));
  const state = result.status?.state ?? 'unknown';
  const text = [textOf(result.artifacts?.flatMap((a) => a.parts ?? [])), textOf(result.status?.message?.parts)].filter(Boolean).join('\n');
  if (state === 'completed') return outcome('completed', text);
  return outcome('failed', `A2A task ${state}${text ? `: ${text}` : ''}`, `A2A task ${state}`);
}

const textOf = (parts: A2APart[] = []) => parts.filter((p) => p.kind === 'text' && typeof p.text === 'string').map((p) => p.text).join('\n');

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
