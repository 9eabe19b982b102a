import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { AgentCard, Task, TaskState } from '@a2a-js/sdk';
import { AgentEvent, AgentExecutor, DefaultRequestHandler, ExecutionEventBus, InMemoryTaskStore, RequestContext } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import express from 'express';

const text = (value: string) => ({ content: { $case: 'text' as const, value }, mediaType: 'text/plain', filename: '', metadata: {} });
const status = (state: TaskState, said?: string, ctx?: RequestContext) => ({
  state, timestamp: new Date().toISOString(),
  message: said && ctx ? { messageId: crypto.randomUUID(), taskId: ctx.taskId, contextId: ctx.contextId, role: 2, parts: [text(said)], metadata: {}, extensions: [], referenceTaskIds: [] } : undefined,
});

/**
 * A real A2A agent for tests, served with the A2A SDK's own server: it "translates" into Spanish (says it works, then
 * answers with an artifact), asks a question when the text says "unclear" (input-required), and never finishes when
 * it says "slowly". It wants `Authorization: Bearer <secret>` on its endpoint when given one, and can be killed.
 */
export class TestA2aAgent {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Texts of the tasks it was sent, in order. */
  readonly received: string[] = [];

  constructor(private readonly options: { secret?: string; streaming?: boolean; name?: string; skill?: string; version?: '1.0' | '0.3' } = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const app = express();
    const handler = new DefaultRequestHandler(this.card(), new InMemoryTaskStore(), this.executor());
    app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => this.card() }));
    app.get('/moved', (_req, res) => res.redirect(302, 'http://169.254.169.254/latest/meta-data'));
    app.get('/elsewhere.json', (_req, res) => res.json(AgentCard.toJSON({ ...this.card(), supportedInterfaces: [{ url: 'http://192.0.2.1/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }] })));
    app.use('/rpc', (req, res, next) => (this.options.secret && req.get('authorization') !== `Bearer ${this.options.secret}` ? res.status(401).json({ error: 'unauthorized' }) : next()));
    app.use('/rpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: this.options.version === '0.3' } }));
    this.server = createServer(app);
    this.server.on('connection', (s) => (this.sockets.add(s), s.on('close', () => this.sockets.delete(s))));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Gone at once, connections and all (a crash). */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }

  private card(): AgentCard {
    return AgentCard.fromJSON({
      name: this.options.name ?? 'Spanish Translator', description: 'translates English notes and letters into Spanish', version: '1.0.0',
      supportedInterfaces: [{ url: `${this.url}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: this.options.version ?? '1.0' }],
      capabilities: { streaming: this.options.streaming ?? true },
      defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
      skills: [{ id: 'skill', name: this.options.skill ?? 'translate into Spanish', description: `${this.options.skill ?? 'translate into Spanish'}: a note or a letter`, tags: ['test'] }],
    });
  }

  private executor(): AgentExecutor {
    return {
      execute: async (ctx: RequestContext, bus: ExecutionEventBus) => {
        const said = ctx.userMessage.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(' ');
        this.received.push(said);
        const task: Task = { id: ctx.taskId, contextId: ctx.contextId, status: status(TaskState.TASK_STATE_SUBMITTED), history: [ctx.userMessage], artifacts: [], metadata: {} };
        bus.publish(AgentEvent.task(task));
        bus.publish(AgentEvent.statusUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, status: status(TaskState.TASK_STATE_WORKING, 'translating', ctx), metadata: {} }));
        if (/unclear/i.test(said)) {
          bus.publish(AgentEvent.statusUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, status: status(TaskState.TASK_STATE_INPUT_REQUIRED, 'Which Spanish: Spain or Mexico?', ctx), metadata: {} }));
          return;
        }
        if (/slowly/i.test(said)) return new Promise<void>(() => undefined);
        const answer = this.options.version === '0.3' ? `${this.options.name} (A2A 0.3) did it` : '¡Hola! Bienvenidos.';
        bus.publish(AgentEvent.artifactUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, artifact: { artifactId: 'a1', name: 'answer', description: '', parts: [text(answer)], metadata: {}, extensions: [] }, append: false, lastChunk: true, metadata: {} }));
        bus.publish(AgentEvent.statusUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, status: status(TaskState.TASK_STATE_COMPLETED), metadata: {} }));
      },
      cancelTask: async () => undefined,
    };
  }
}
