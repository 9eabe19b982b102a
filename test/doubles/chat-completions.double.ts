/**
 * TEST DOUBLE — stands in for an OpenAI-compatible chat-completions API (OpenAI, Ollama, vLLM, llama.cpp servers),
 * which these tests cannot reach (no network, no model on this machine).
 *
 * An in-process `node:http` server on 127.0.0.1 (random port) that answers `POST <base>/chat/completions` with
 * whatever the test's `answer` function writes, and records every request it got in `received`. The helpers below
 * write the answers a real endpoint gives: a tool call with token usage, a plain text answer (no tool call), an HTTP
 * error, or no answer at all. Any other route is answered with a 404 naming it, so a test never passes on behaviour
 * the double only pretends to have.
 */
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content: string;
}

/** One request as the double received it. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description: string; parameters: unknown } }[];
  /** The request path (`/v1/chat/completions`) and authorization header. */
  path: string;
  auth?: string;
}

/** Writes the answer to one request. */
export type Answer = (req: ChatRequest, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** A tool call (arguments as given, when a string: malformed JSON stays malformed) with token usage. */
export const toolCall = (name: string, args: unknown, usage = { prompt_tokens: 10, completion_tokens: 5 }): Answer => (_req, res) =>
  json(res, 200, {
    choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } }] } }],
    usage,
  });

/** A plain text answer without a tool call. */
export const textAnswer = (content: string): Answer => (_req, res) => json(res, 200, { choices: [{ message: { role: 'assistant', content } }] });

/** A refusal: an HTTP error status with a text body. */
export const httpError = (status: number, body: string): Answer => (_req, res) => res.writeHead(status).end(body);

/** No answer at all (the client times out). */
export const silence: Answer = () => undefined;

/** Answers in order, one per request, the last one repeating. */
export function inOrder(...answers: Answer[]): Answer {
  let i = 0;
  return (req, res) => answers[Math.min(i++, answers.length - 1)](req, res);
}

export class ChatCompletionsDouble {
  readonly received: ChatRequest[] = [];
  /** What to answer; a test sets it before the requests it scripts. */
  answer: Answer = (_req, res) => json(res, 500, { error: { message: 'the test set no answer' } });
  private readonly server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d)).on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return json(res, 404, { error: { message: `the double does not serve ${req.method} ${req.url}` } });
      const request = { ...(JSON.parse(raw) as Omit<ChatRequest, 'path' | 'auth'>), path: req.url, auth: req.headers.authorization };
      this.received.push(request);
      this.answer(request, res);
    });
  });

  /** The API root to give a client, e.g. `http://127.0.0.1:41234/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
