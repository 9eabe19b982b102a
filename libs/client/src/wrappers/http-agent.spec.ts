import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { TaskView } from '../types';
import { fromA2A, httpAgent } from './http-agent';
import { taskContext } from '../../../../test/support/task-context';

const card = { name: 'remote', description: 'a remote agent', capabilities: [] };
const task: TaskView = {
  id: 't1', group_id: 'g1', state: 'running', mode: 'sync', task_abstract: 'count words', task_desc: 'count the words of "a b c"', assignee: ['me'],
  progress: 0, deadline: null, result: null, reason: null, history: [], created_at: '', updated_at: '',
};
const noProgress = taskContext();

type Handler = (body: any, req: IncomingMessage, res: ServerResponse) => void;

// Test double: a local node:http server standing in for a remote plain-HTTP or A2A agent endpoint. Each test sets
// `handler` to script its answers; `received` records every request body it got.
describe('httpAgent against a node:http test double of an HTTP / A2A endpoint', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  let received: { body: any; headers: IncomingMessage['headers'] }[];
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d)).on('end', () => {
        const body = JSON.parse(raw);
        received.push({ body, headers: req.headers });
        handler(body, req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`;
  });
  afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  beforeEach(() => (received = []));

  describe('plain mode', () => {
    it('posts the task as JSON and maps { status, conclusion, abstract }', async () => {
      handler = (_b, _q, res) => json(res, 200, { status: 'completed', conclusion: '3 words', abstract: 'three' });
      const result = await httpAgent({ card, url, headers: { authorization: 'Bearer k' } }).onTask!(task, noProgress);
      expect(result).toEqual({ status: 'completed', task_conclusion: '3 words', task_abstract: 'three' });
      expect(received[0].body).toEqual({ task_id: 't1', task_desc: task.task_desc, task_abstract: 'count words' });
      expect(received[0].headers.authorization).toBe('Bearer k');
    });

    it('maps a failed status and takes any 2xx text as the conclusion', async () => {
      handler = (_b, _q, res) => json(res, 200, { status: 'failed', conclusion: 'cannot count\nsorry' });
      expect(await httpAgent({ card, url }).onTask!(task, noProgress)).toEqual({ status: 'failed', task_conclusion: 'cannot count\nsorry', task_abstract: 'cannot count' });
      handler = (_b, _q, res) => res.writeHead(201, { 'content-type': 'text/plain' }).end('three words\nin all');
      expect(await httpAgent({ card, url }).onTask!(task, noProgress)).toEqual({ status: 'completed', task_conclusion: 'three words\nin all', task_abstract: 'three words' });
    });

    it('fails on a non-2xx answer and on a timeout', async () => {
      handler = (_b, _q, res) => res.writeHead(503).end('overloaded');
      expect(await httpAgent({ card, url }).onTask!(task, noProgress)).toEqual({ status: 'failed', task_conclusion: 'HTTP 503: overloaded', task_abstract: 'HTTP 503' });
      handler = () => undefined; // never answers
      const result = await httpAgent({ card, url, timeoutMs: 200 }).onTask!(task, noProgress);
      expect(result).toMatchObject({ status: 'failed', task_conclusion: 'timed out after 200 ms' });
    });
  });

  describe('A2A mode', () => {
    let n = 0;
    const newId = () => `id-${++n}`;
    beforeEach(() => (n = 0));

    it('sends a JSON-RPC message/send and maps a completed Task, joining its text parts', async () => {
      handler = (b, _q, res) => json(res, 200, {
        jsonrpc: '2.0', id: b.id,
        result: { kind: 'task', id: 'a2a-1', contextId: 'c', status: { state: 'completed' }, artifacts: [{ artifactId: 'x', parts: [{ kind: 'text', text: '3 words' }, { kind: 'data', data: {} }, { kind: 'text', text: 'done' }] }] },
      });
      const result = await httpAgent({ card, url, a2a: true, newId }).onTask!(task, noProgress);
      expect(result).toEqual({ status: 'completed', task_conclusion: '3 words\ndone', task_abstract: '3 words' });
      expect(received[0].body).toEqual({
        jsonrpc: '2.0', id: 'id-2', method: 'message/send',
        params: { message: { role: 'user', messageId: 'id-1', parts: [{ kind: 'text', text: task.task_desc }], kind: 'message' }, configuration: { blocking: true } },
      });
    });

    it('takes a Message result as completed', async () => {
      handler = (b, _q, res) => json(res, 200, { jsonrpc: '2.0', id: b.id, result: { kind: 'message', role: 'agent', messageId: 'm', parts: [{ kind: 'text', text: 'hi there' }] } });
      expect(await httpAgent({ card, url, a2a: true }).onTask!(task, noProgress)).toEqual({ status: 'completed', task_conclusion: 'hi there', task_abstract: 'hi there' });
    });

    it('polls a working task with tasks/get until it settles', async () => {
      handler = (b, _q, res) => {
        const state = b.method === 'message/send' ? 'working' : received.length < 3 ? 'working' : 'completed';
        json(res, 200, { jsonrpc: '2.0', id: b.id, result: { kind: 'task', id: 'a2a-2', status: { state, message: { kind: 'message', parts: [{ kind: 'text', text: state }] } } } });
      };
      const result = await httpAgent({ card, url, a2a: true, pollIntervalMs: 10 }).onTask!(task, noProgress);
      expect(result).toEqual({ status: 'completed', task_conclusion: 'completed', task_abstract: 'completed' });
      expect(received.map((r) => r.body.method)).toEqual(['message/send', 'tasks/get', 'tasks/get']);
      expect(received[1].body.params).toEqual({ id: 'a2a-2' });
    });

    it('fails on a JSON-RPC error', async () => {
      handler = (b, _q, res) => json(res, 200, { jsonrpc: '2.0', id: b.id, error: { code: -32601, message: 'Method not found' } });
      const result = await httpAgent({ card, url, a2a: true }).onTask!(task, noProgress);
      expect(result.status).toBe('failed');
      expect(result.task_conclusion).toContain('A2A error -32601: Method not found');
    });
  });
});

describe('fromA2A', () => {
  it.each(['canceled', 'failed', 'rejected', 'input-required', 'auth-required', 'unknown'])('maps the A2A state %s to failed', (state) => {
    const r = fromA2A({ kind: 'task', id: 't', status: { state, message: { kind: 'message', parts: [{ kind: 'text', text: 'why' }] } } });
    expect(r).toEqual({ status: 'failed', task_conclusion: `A2A task ${state}: why`, task_abstract: `A2A task ${state}` });
  });
});
