import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { api } from './support/http';
import { ok, population, Scripted, uuid } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { TestClient } from './support/socket';
import { until } from './support/until';

const WEB = join(__dirname, '../dist/web');
/** The README shows these; the tests refresh them whenever the views change. */
const SHOTS = join(__dirname, '../docs/screenshots');
const DEMO = join(__dirname, '../dist/apps/server/src/demo/demo.js');

/** The seqs of the chat rows in the page (only those on screen are rendered), in the order it shows them. */
const seqsOnPage = (page: Page) => page.locator('.chat > li').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
const messageCount = async (page: Page) => Number(await page.getByTestId('message-count').textContent());

/** The chat holds `count` messages, seq 1 to `count`: the rows on screen are consecutive and end with the last. */
async function expectWholeChat(page: Page, count: number): Promise<void> {
  await until(`${count} messages on the page`, async () => (await messageCount(page)) === count);
  // The view follows the newest row; it settles once the rows it rendered are measured.
  await until('the newest row on screen', async () => (await seqsOnPage(page)).at(-1) === count).catch(async (e) => {
    throw new Error(`${e.message}: rows ${JSON.stringify(await seqsOnPage(page))}, scroll ${await page.locator('.chat-scroll').evaluate((el) => [el.scrollTop, el.scrollHeight, el.clientHeight].join('/'))}`);
  });
  const seqs = await seqsOnPage(page);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => count - seqs.length + 1 + i));
}

/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core) against the built server: the
 * demo's link, scopes, and a server restart under an open page.
 */
describe('web console (built server, real Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => (browser = await launchBrowser()));
  afterAll(() => browser?.close());

  it('ships a small bundle that imports only types from the protocol', () => {
    const scripts = readdirSync(join(WEB, 'assets')).filter((f) => f.endsWith('.js'));
    const code = scripts.map((f) => readFileSync(join(WEB, 'assets', f)));
    expect(code.reduce((n, c) => n + gzipSync(c).length, 0)).toBeLessThan(250 * 1024);
    expect(code.some((c) => c.includes('class-validator') || c.includes('isBoundedJsonObject'))).toBe(false);
  });

  describe('the demo', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ioa-web-demo-')), 'data');
    let demo: ChildProcess;
    let output = '';
    // SIGINT, as a person's Ctrl-C: the demo stops the server it started (SIGKILL would leave that running).
    afterAll(async () => {
      if (demo && demo.exitCode === null) {
        const exited = new Promise((r) => demo.once('exit', r));
        demo.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        demo.kill('SIGKILL');
      }
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    });

    it('prints a link that opens the goal signed in as its observer, and the goal runs to its result live', async () => {
      demo = spawn(process.execPath, [DEMO, '--data-dir', dataDir, '--port', '0', '--pace', '150'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      demo.stdout!.on('data', (d) => (output += d));
      demo.stderr!.on('data', (d) => (output += d));
      const link = await until('the console link', () => /watch it in a browser: (\S+)/.exec(output)?.[1], 60_000);
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/goals\/[0-9a-f-]{36}#token=[\w.-]+$/);

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(link);
      // The token moved from the address bar into this tab's sessionStorage, and nowhere else.
      await page.getByRole('heading', { name: 'Plan a cheap weekend trip to Madrid for four friends' }).waitFor();
      // How soon the goal's page shows on loopback: recorded for docs/benchmarks.md, never asserted.
      const paint = await page.evaluate('[performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null, performance.now()]');
      mkdirSync(join(__dirname, '../bench/results'), { recursive: true });
      writeFileSync(join(__dirname, '../bench/results/web.json'), `${JSON.stringify({ at: new Date().toISOString(), first_contentful_paint_ms: (paint as number[])[0], goal_heading_shown_ms: (paint as number[])[1] }, null, 2)}\n`);
      expect(page.url()).toBe(link.split('#')[0]);
      expect(await page.evaluate('[sessionStorage.getItem("ioa.token"), localStorage.length]')).toEqual([link.split('#token=')[1], 0]);
      await page.getByText('signed in as observer').waitFor();
      await page.getByText(/coordinator travel-planner \(chosen by meaning, score \d\.\d{3}/).waitFor();

      // Live: the root team appears, then its sub-team (the translator's proofreading), then the result.
      await page.getByRole('link', { name: /^Root team: / }).waitFor({ timeout: 30_000 });
      await page.getByRole('link', { name: /^Sub-team \(level 1\): / }).waitFor({ timeout: 30_000 });
      await page.getByText('formed for the task "welcome note in Spanish"').waitFor();
      const result = page.getByRole('region', { name: 'Result' });
      await result.waitFor({ timeout: 45_000 });
      expect(await result.textContent()).toMatch(/Madrid/);
      await page.locator('.meta .badge-completed').first().waitFor();
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'goal-tree.png') });

      // The root group's chat: every message once, in seq order, through every state, to the conclusion.
      await page.getByRole('link', { name: /^Root team: / }).click();
      await page.locator('.msg-conclusion').waitFor();
      await page.locator('.facts .badge-closed').waitFor();
      // The last message is the group's closing; the count and the rows on screen agree with it.
      const last = Number(await page.locator('.chat > li').last().getAttribute('data-seq'));
      await expectWholeChat(page, last);
      // The session as a picture: the states it went through, in order, and the tasks laid on them.
      const picture = await page.getByRole('img', { name: /^session timeline/ }).getAttribute('aria-label');
      expect(picture).toMatch(/forming, then discussion, then sync task assignment, then discussion.*pause and trigger.*closed$/);
      expect(await page.locator('.timeline .task-span').count()).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: join(SHOTS, 'group-chat.png') });
      await page.close();
    }, 120_000);
  });

  describe('a group of 10,000 messages', () => {
    // Raised limits: the seeding agent sends far faster than any agent may, and receives its own flood back.
    const server = new TestServer({ env: { IOA_RATE_PER_S: '1000000', IOA_RATE_BURST: '1000000', IOA_SOCKET_BUFFER_MAX_BYTES: String(256 * 1024 * 1024) } });
    afterAll(() => server.dispose());

    it('opens with its whole history and keeps only a window of rows in the page', async () => {
      await server.start();
      const who = await population(server, ['web-lead', 'spanish-translator']);
      const [lead, member] = [who.get('web-lead')!, who.get('spanish-translator')!];
      const group = (await api(server.url)('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'a long task', coordinator: lead.id, members: [member.id] })).body.id;
      const send = (from: Scripted, type: string, payload: object) =>
        from.client.emit('message', { header: { protocol: 'ioa/1', message_id: uuid(), group_id: group, type }, payload });
      const task = ok(await send(lead, 'task_assignment', { mode: 'async', tasks: [{ task_desc: 'count to ten thousand', task_abstract: 'counting', assignee: [member.id] }] })).task_ids[0];
      ok(await send(member, 'task_reply', { task_id: task, accept: true }));
      // Progress messages spend no turns: 10,000 of them, 200 in flight at a time.
      for (let i = 0; i < 10_000; i += 200) {
        await Promise.all(Array.from({ length: 200 }, (_, j) => send(member, 'task_progress', { task_id: task, progress: (i + j + 1) / 10_000, note: `step ${i + j + 1}` }).then(ok)));
      }
      const count = (await api(server.url)('GET', `/v1/groups/${group}`, ADMIN_TOKEN)).body.seq;
      expect(count).toBeGreaterThan(10_000);

      const page = await browser.newPage();
      const opening = Date.now();
      await page.goto(`${server.url}/groups/${group}#token=${ADMIN_TOKEN}`);
      await expectWholeChat(page, count);
      // Recorded beside the first paint for docs/benchmarks.md, never asserted.
      const results = join(__dirname, '../bench/results/web.json');
      const known = JSON.parse(readFileSync(results, { encoding: 'utf8', flag: 'a+' }) || '{}');
      writeFileSync(results, `${JSON.stringify({ ...known, group_of_10k_whole_ms: Date.now() - opening, rows_in_dom: await page.locator('.chat > li').count() }, null, 2)}\n`);
      expect(await page.locator('.chat > li').count()).toBeLessThan(100);
      // Scrolled to the top, the first message is there, and the window moved with the view.
      await page.locator('.chat-scroll').hover();
      await page.mouse.wheel(0, -1e9);
      await page.locator('.chat > li[data-seq="1"]').waitFor();
      expect(await page.locator('.chat > li').count()).toBeLessThan(100);

      // Away to another group and straight back, within the page: the history comes back whole, none of it skipped
      // because the tail of the first replay was still arriving.
      const other = (await api(server.url)('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'a short one', coordinator: lead.id, members: [member.id] })).body.id;
      const go = (to: string) => page.evaluate(`history.pushState(null, '', '${to}'); dispatchEvent(new PopStateEvent('popstate'))`);
      await go(`/groups/${other}`);
      await page.getByRole('heading', { name: 'a short one' }).waitFor();
      // Deliberate timing, not a wait for a condition: leave the long group 100 ms into its replay and come back 20 ms
      // later, so that the tail of the interrupted replay may still be arriving when the page subscribes again (a
      // reviewer lost messages that way on a slower run; here it rarely lines up, so this checks the way back whole).
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await go(`/groups/${group}`);
      await pause(100);
      await go(`/groups/${other}`);
      await pause(20);
      await go(`/groups/${group}`);
      await expectWholeChat(page, count);
      await page.close();
      for (const a of who.values()) a.client.close();
    }, 120_000);
  });

  describe('scopes and restarts', () => {
    const server = new TestServer();
    let who: Map<string, Scripted>;
    let groups: string[];
    const call = () => api(server.url);
    const say = (from: Scripted, group: string, content: string, next: string[] = []) =>
      from.client.emit('message', { header: { protocol: 'ioa/1', message_id: uuid(), group_id: group, type: 'discussion' }, payload: { content, next_speaker: next } });

    beforeAll(async () => {
      await server.start();
      who = await population(server, ['web-lead', 'spanish-translator']);
      const [lead, member] = [who.get('web-lead')!, who.get('spanish-translator')!];
      groups = [];
      for (const goal of ['first group', 'second group']) groups.push((await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal, coordinator: lead.id, members: [member.id] })).body.id);
    });
    afterAll(async () => {
      for (const a of who?.values() ?? []) a.client.close();
      await server.dispose();
    });

    it('serves the page for page paths only: the API, its errors and missing files are never shadowed', async () => {
      const get = (path: string) => fetch(`${server.url}${path}`).then(async (r) => [r.status, r.headers.get('content-type')?.split(';')[0]]);
      expect(await get('/')).toEqual([200, 'text/html']);
      expect(await get(`/groups/${groups[0]}`)).toEqual([200, 'text/html']);
      expect(await get('/assets/missing.js')).toEqual([404, 'application/json']);
      expect(await get('/v1/nothing')).toEqual([404, 'application/json']);
      expect(await get('/health')).toEqual([200, 'application/json']);
      expect(await get('/docs-json')).toEqual([200, 'application/json']);
      expect(await get('/V1/goals')).toEqual([401, 'application/json']);
      const policy = (await fetch(server.url)).headers.get('content-security-policy');
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      const malformed = await fetch(`${server.url}/v1/agents`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name": ' });
      expect([malformed.status, ((await malformed.json()) as { error: { code: string } }).error.code]).toEqual([400, 'VALIDATION']);
    });

    it('shows an observer what its token allows and says why it may not see the rest', async () => {
      const observer = (await call()('POST', '/v1/auth/observer-tokens', ADMIN_TOKEN, { scope: { groups: [groups[0]] } })).body.token;
      const page = await browser.newPage();
      await page.goto(`${server.url}/groups/${groups[1]}#token=${observer}`);
      await page.getByRole('alert').filter({ hasText: 'FORBIDDEN' }).waitFor();
      expect(await page.locator('.chat > li').count()).toBe(0);
      await page.goto(`${server.url}/groups/${groups[0]}`);
      await page.getByRole('heading', { name: 'first group' }).waitFor();
      await page.locator('.chat > li').first().waitFor();
      await page.close();
    });

    it('shows a task graph: a node waits pending, after the task it depends on, until it is dispatched', async () => {
      const [lead, member] = [who.get('web-lead')!, who.get('spanish-translator')!];
      const group = (await call()('POST', '/v1/groups', ADMIN_TOKEN, { goal: 'a graph', coordinator: lead.id, members: [member.id] })).body.id;
      const send = (from: Scripted, type: string, payload: object) =>
        from.client.emit('message', { header: { protocol: 'ioa/1', message_id: uuid(), group_id: group, type }, payload });
      const [first] = ok(await send(lead, 'task_assignment', { mode: 'async', tasks: [
        { key: 'first', depends_on: [], task_desc: 'one', task_abstract: 'first step', assignee: [member.id] },
        { key: 'second', depends_on: ['first'], task_desc: 'two', task_abstract: 'second step', assignee: [member.id] },
      ] })).task_ids;
      const page = await browser.newPage();
      await page.goto(`${server.url}/groups/${group}#token=${ADMIN_TOKEN}`);
      const second = page.locator('.tasks li', { hasText: 'task "second step"' });
      await second.locator('.badge-pending').waitFor();
      expect(await second.textContent()).toContain('after "first"');
      ok(await send(member, 'task_reply', { task_id: first, accept: true }));
      ok(await send(member, 'task_result', { task_id: first, status: 'completed', task_conclusion: 'done', task_abstract: 'done' }));
      await second.locator('.badge-submitted').waitFor();
      await page.close();
    });

    it('reconnects by itself after a server restart and holds every message once, in seq order', async () => {
      const [lead, member] = [who.get('web-lead')!, who.get('spanish-translator')!];
      const page = await browser.newPage();
      await page.goto(`${server.url}/groups/${groups[0]}#token=${ADMIN_TOKEN}`);
      await page.getByRole('heading', { name: 'first group' }).waitFor();
      ok(await say(lead, groups[0], 'before the restart', [member.id]));
      await page.getByText('before the restart').waitFor();
      // The turn moved: the page hears it (`group_turn`), sooner than its ten-second re-read of the group.
      await page.getByTestId('turn').filter({ hasText: 'spanish-translator' }).waitFor({ timeout: 5000 });

      await server.stop();
      await page.getByText('Connection lost: reconnecting…').waitFor();
      await server.start();
      await page.getByText('Connection lost: reconnecting…').waitFor({ state: 'detached', timeout: 20_000 });
      // The scripted member is a bare socket: it connects again as itself.
      const again = { ...member, client: new TestClient(server.url, member.token) };
      await again.client.connected();
      ok(await say(again, groups[0], 'after the restart'));
      // Members come and go in the open: the page hears the member leave (`member_presence`).
      await page.getByTestId(`member-${member.id}`).locator('.badge-online').waitFor();
      again.client.close();
      await page.getByTestId(`member-${member.id}`).locator('.badge-offline').waitFor();
      await page.getByText('after the restart').waitFor({ timeout: 20_000 });
      const stored = (await call()('GET', `/v1/groups/${groups[0]}/messages?limit=500`, ADMIN_TOKEN)).body.items.length;
      await expectWholeChat(page, stored);
      await page.close();
    });
  });
});
