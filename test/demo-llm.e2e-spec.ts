import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEEDS, NeedKey, TASKS } from '../apps/server/src/demo/scenario';
import { Answer, ChatCompletionsDouble, ChatRequest, httpError, toolCall } from './doubles/chat-completions.double';
import { runDemo } from './support/demo';

interface BriefTask {
  id: string;
  state: string;
  abstract: string;
  result: string | null;
}

/** Reads the brief `llmAgent` sends with each turn: members by card name, and tasks with their states and results. */
function readBrief(req: ChatRequest): { members: Map<string, string>; tasks: BriefTask[] } {
  const members = new Map<string, string>();
  const tasks: BriefTask[] = [];
  let section = '';
  for (const line of req.messages[1].content.split('\n')) {
    if (/^\w.*:$/.test(line)) section = line;
    const member = section === 'Members:' && /^- (\S+)[^:]*: ([\w-]+) — /.exec(line);
    if (member) members.set(member[2], member[1]);
    const task = section === 'Tasks:' && /^- (\S+) \[(\w+)\] → [^:]*: (.+?)(?:; result \(\w+\): (.*)|; reason: .*)?$/.exec(line);
    if (task) tasks.push({ id: task[1], state: task[2], abstract: task[3], result: task[4] ?? null });
  }
  return { members, tasks };
}

const SETTLED = ['completed', 'failed', 'canceled', 'rejected'];

/**
 * The double's part: a sensible coordinator for the demo's goal, deciding from what each request carries (the tools
 * offered, the brief, its own earlier messages) as a model would. It forms the team by the three needs, greets,
 * assigns the two numeric tasks sync to the members whose cards fit, then the Spanish note async with a pause on it,
 * and concludes with the results once everything settled.
 */
const coordinator: Answer = (req, res) => {
  const tools = req.tools?.map((t) => t.function.name) ?? [];
  if (tools.includes('form_team')) return toolCall('form_team', { team_members: Object.values(NEEDS).map((need) => ({ need })) })(req, res);
  if (!tools.includes('assign_tasks')) return httpError(400, `the coordinator double only coordinates; offered ${tools.join(', ')}`)(req, res);
  const { members, tasks } = readBrief(req);
  const member = (name: string) => members.get(name) ?? `(no ${name} in the brief)`;
  const task = (k: NeedKey) => tasks.find((t) => t.abstract === TASKS[k].task_abstract);
  const settled = (t?: BriefTask) => !!t && SETTLED.includes(t.state);
  const greeted = req.messages.some((m) => m.role === 'assistant' && / discussion\] /.test(m.content));
  let answer: Answer;
  if (!tasks.length && !greeted) {
    answer = toolCall('discuss', { content: 'Hello team, a weekend in Madrid for four. unit-converter, are you ready?', next_speaker: [member('unit-converter')] });
  } else if (!tasks.length) {
    answer = toolCall('assign_tasks', { mode: 'sync', tasks: [
      { ...TASKS.distance, assignee: [member('unit-converter')] }, { ...TASKS.words, assignee: [member('word-counter')] }] });
  } else if (!task('spanish') && settled(task('distance')) && settled(task('words'))) {
    answer = toolCall('assign_tasks', { mode: 'async', tasks: [{ ...TASKS.spanish, assignee: [member('spanish-translator')] }] });
  } else if (task('spanish') && !settled(task('spanish'))) {
    answer = toolCall('pause_and_trigger', { triggers: [task('spanish')!.id] });
  } else {
    answer = toolCall('conclude', { summary: `Madrid weekend for four: ${tasks.map((t) => `${t.abstract}: ${t.result ?? t.state}`).join('; ')}` });
  }
  return answer(req, res);
};

describe('npm run demo -- --exit with OPENAI_BASE_URL: the LLM coordinator against the chat-completions test double', () => {
  const double = new ChatCompletionsDouble();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ioa-demo-llm-')), 'data');
  beforeAll(async () => {
    await double.start();
    double.answer = coordinator;
  });
  afterAll(async () => {
    await double.stop();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('coordinates the goal with the llmAgent wrapper through every state and exits 0 with its conclusion', async () => {
    const env = { OPENAI_BASE_URL: double.baseUrl, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'test-coordinator' };
    const { code, output } = await runDemo(['--exit', '--data-dir', dataDir, '--port', '0', '--pace', '50'], env);
    expect({ code, output }).toMatchObject({ code: 0 });

    expect(output).toContain(`coordinator: LLM (the SDK's llmAgent, model test-coordinator at ${double.baseUrl}); the other agents are scripted.`);
    expect(output).toMatch(/coordinator chosen by meaning: travel-planner/);
    expect(output).toContain('travel-planner (LLM, test-coordinator) received the goal and asks the model for its team');
    expect(output).toContain('travel-planner forms its team by 3 needs chosen by the model: "convert miles into kilometres", "count the words in a text", "translate my messages into Spanish"');
    for (const state of ['forming', 'discussion', 'sync_task_assignment', 'async_task_assignment', 'pause_and_trigger', 'closed']) {
      expect(output).toMatch(new RegExp(`root +state (\\w+ → )*${state}`));
    }
    expect(output).toMatch(/root +travel-planner → unit-converter: "Hello team/);
    expect(output).toMatch(/root +travel-planner pause_and_trigger: discussion waits for "welcome note in Spanish"/);
    expect(output).toContain('== final result (goal completed) ==\nMadrid weekend for four: driving distance in km: 390 miles = 627.6 km; '
      + 'itinerary word count: words: 33; characters: 172; sentences: 2; longest word: Barcelona; '
      + 'welcome note in Spanish: ¡Bienvenidos a Madrid, queridos amigos! Nos vemos en el hotel a las ocho.');
    expect(output).not.toMatch(/no valid \w+ decision|failed in/);
    expect(output).toMatch(/LLM coordinator: \d+ requests, \d+ prompt \+ \d+ completion tokens, 0 dropped decisions/);

    // What the model was sent: the demo's key and model, the playbook as system prompt, members with their cards.
    expect(double.received.length).toBeGreaterThanOrEqual(6);
    for (const r of double.received) expect(r).toMatchObject({ model: 'test-coordinator', auth: 'Bearer test-key', path: '/v1/chat/completions' });
    expect(double.received[0].messages[0].content).toContain('(need: translate my messages into Spanish)');
    const turn = double.received.find((r) => r.tools?.some((t) => t.function.name === 'conclude'))!;
    expect(turn.messages[1].content).toMatch(/^- \S+: word-counter — Counts the words/m);
  });
});
