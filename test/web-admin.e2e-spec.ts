import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { fleet } from './support/fleet';
import { api } from './support/http';
import { ok, population, Scripted, teamUp } from './support/population';
import { ADMIN_TOKEN, TestServer } from './support/server';
import { until } from './support/until';

/** Violations axe rates serious or critical, one line each, so a failure names the rule and the element. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

/** Presses Tab until `target` holds the focus (at most 30 times), as a keyboard-only person would. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  const focused = () => target.evaluate((el) => el === el.ownerDocument.activeElement);
  for (let i = 0; i < 30 && !(await focused()); i++) await page.keyboard.press('Tab');
  expect(await focused()).toBe(true);
}

/**
 * An admin's and an observer's console in a real browser against the built server: sign-in, registry search, the
 * team-up decision, tokens issued and revoked, a group closed; keyboard-only navigation and an axe scan of each view.
 */
describe('web console: admin views and actions (built server, real Chromium)', () => {
  const server = new TestServer();
  let browser: Browser;
  let who: Map<string, Scripted>;
  let goalId: string;
  let groupId: string;
  // axe scans pages of a context of their own.
  const newPage = async () => (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  /** The README shows these; the tests refresh them whenever the views change. */
  const shot = (page: Page, name: string) => (mkdirSync(join(__dirname, '../docs/screenshots'), { recursive: true }), page.screenshot({ path: join(__dirname, '../docs/screenshots', name) }));

  beforeAll(async () => {
    [browser] = await Promise.all([launchBrowser(), server.start()]);
    who = await population(server, ['web-planner', 'spanish-translator', 'grammar-checker', 'unit-converter']);
    const planner = who.get('web-planner')!;
    const call = api(server.url);
    goalId = (await call('POST', '/v1/goals', ADMIN_TOKEN, { goal: 'write to our friends in Madrid', coordinator: planner.id })).body.id;
    groupId = ok(await teamUp(planner, { goal: 'write to our friends in Madrid', goal_id: goalId, team_members: [{ need: 'translate a letter into Spanish' }] })).group_id;
    await until('the team to open', async () => (await call('GET', `/v1/groups/${groupId}`, ADMIN_TOKEN)).body.state === 'discussion');
  });
  afterAll(async () => {
    for (const a of who?.values() ?? []) a.client.close();
    await browser?.close();
    await server.dispose();
  });

  it('signs in, searches by meaning, explains the team, closes the group — by keyboard where it counts, and accessibly', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('dialog', (d) => void (asked.push(d.message()), d.accept()));
    await page.goto(server.url);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Admin, observer or participant token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByText('signed in as admin').waitFor();

    // Keyboard only: from the goals list to the goal, then to its root team.
    const goalLink = page.getByRole('link', { name: 'write to our friends in Madrid' });
    await goalLink.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await tabTo(page, goalLink);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'write to our friends in Madrid' }).waitFor();
    const rootLink = page.getByRole('link', { name: /^Root team: / });
    await rootLink.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await tabTo(page, rootLink);
    await page.keyboard.press('Enter');
    await page.locator('.chat > li').first().waitFor();
    // The new page took the focus at its heading, and named the tab.
    expect(await page.evaluate('[document.activeElement.tagName, document.title]')).toEqual(['H1', 'write to our friends in Madrid · ioa console']);

    // Why this team: the need, the candidates with scores, the translator invited and accepting.
    await page.getByText('Why this team').click();
    await page.getByRole('heading', { name: 'Need: "translate a letter into Spanish"' }).waitFor();
    const first = page.locator('.need tbody tr').first();
    expect(await first.locator('td').allTextContents()).toEqual(['spanish-translator', expect.stringMatching(/^\d\.\d{3}$/), expect.any(String), expect.stringMatching(/^accepted/)]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.decision').scrollIntoViewIfNeeded();
    await shot(page, 'team-decision.png');

    await page.getByRole('button', { name: 'Close group' }).click();
    await page.locator('.facts .badge-closed').waitFor();
    expect(asked).toEqual([expect.stringMatching(/^Close this group\?/)]);
    expect((await api(server.url)('GET', `/v1/groups/${groupId}`, ADMIN_TOKEN)).body).toMatchObject({ state: 'closed', close_reason: 'closed_by_admin' });

    // The registry ranks agents as team formation sees them.
    await page.getByRole('link', { name: 'Registry' }).click();
    await page.getByLabel('Find agents by meaning').fill('translate a letter into Spanish');
    await page.getByRole('button', { name: 'Search' }).click();
    const top = page.locator('caption', { hasText: 'Ranked for' }).locator('..').locator('tbody tr').first();
    await top.waitFor();
    expect((await top.locator('td').allTextContents()).slice(0, 2)).toEqual(['1', 'spanish-translator']);
    // Dark colour scheme too.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'registry-search.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('fits a 390 px phone screen: no view is wider than the screen, and each is accessible in light and dark', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/goals#token=${ADMIN_TOKEN}`);
    for (const [path, ready] of [['/goals', 'write to our friends in Madrid'], [`/goals/${goalId}`, 'Team tree'], [`/groups/${groupId}`, 'Messages'], ['/tokens', 'Issued tokens'], ['/registry', 'Agents']]) {
      await page.evaluate(`history.pushState(null, '', '${path}'); dispatchEvent(new PopStateEvent('popstate'))`);
      await page.getByText(ready, { exact: false }).first().waitFor();
      expect([path, await page.evaluate('document.documentElement.scrollWidth')]).toEqual([path, 390]);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect([path, colorScheme, await seriousViolations(page)]).toEqual([path, colorScheme, []]);
      }
    }
    // An agent's past collaborators, opened from the registry.
    await page.locator('.contacts summary').first().click();
    await page.locator('.contacts[open]').getByText(/No past collaborators|groups, \d+ tasks completed/).waitFor();
    await context.close();
  });

  it('issues tokens by keyboard alone, one that signs in elsewhere, and revoking it takes the access away', async () => {
    const admin = await newPage();
    admin.on('dialog', (d) => void d.accept());
    await admin.goto(`${server.url}/tokens#token=${ADMIN_TOKEN}`);
    // The observer-token form, field by field with Tab, sent with Enter on its button.
    await tabTo(admin, admin.getByLabel('Goal ids'));
    await admin.keyboard.type(goalId);
    await tabTo(admin, admin.getByLabel('Label'));
    await admin.keyboard.type('for a guest');
    await tabTo(admin, admin.getByRole('button', { name: 'Issue observer token' }));
    await admin.keyboard.press('Enter');
    const token = (await admin.getByLabel('issued observer token', { exact: true }).textContent())!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await seriousViolations(admin)).toEqual([]);
    // The enrollment-token form too: its token works for registering an agent.
    await tabTo(admin, admin.getByLabel('Agents it may register'));
    await admin.keyboard.press('Control+A');
    await admin.keyboard.type('2');
    await tabTo(admin, admin.getByRole('button', { name: 'Issue enrollment token' }));
    await admin.keyboard.press('Enter');
    const enrollment = (await admin.getByLabel('issued enrollment token', { exact: true }).textContent())!;
    const card = (name: string) => ({ name, description: 'answers questions', capabilities: [] });
    for (const name of ['keyboard-agent-1', 'keyboard-agent-2']) expect((await api(server.url)('POST', '/v1/agents', enrollment, card(name))).status).toBe(201);
    expect((await api(server.url)('POST', '/v1/agents', enrollment, card('keyboard-agent-3'))).status).toBe(401);

    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    await guest.goto(`${server.url}/goals#token=${token}`);
    await guest.getByText('signed in as observer').waitFor();
    await guest.getByRole('link', { name: 'write to our friends in Madrid' }).waitFor();
    expect(await guest.getByRole('link', { name: 'Registry' }).count()).toBe(0);

    const row = admin.locator('tr', { hasText: 'for a guest' });
    await row.getByRole('button', { name: /^Revoke observer token/ }).click();
    await row.locator('.badge-revoked').waitFor();
    // No reload: the revocation closes the guest's socket, its reconnection is refused, and the page says so.
    await guest.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();
    await guest.getByLabel('Admin, observer or participant token').waitFor();
    expect(await guest.evaluate('sessionStorage.length')).toBe(0);
    await guestContext.close();
    await admin.context().close();
  });

  it('lets a person approve in the console what waits for her, live, with a comment that reaches the next node', async () => {
    const call = api(server.url);
    const [coord, worker] = await fleet(server, ['approval-coordinator', 'approval-worker']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: coord.id, goal: 'send the newsletter', members: [worker.id] })).body.id;
    const person = (await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Paula', scope: { groups: [g] } })).body;
    const page = await newPage();
    await page.goto(`${server.url}/approvals#token=${person.token}`);
    await page.getByText('signed in as participant').waitFor();
    await page.getByText('Nothing waits for your decision.').waitFor();

    // The approval appears without a reload (the `approval` event), with what it asks.
    const [, send] = ok(await coord.client.send(g, 'task_assignment', { mode: 'async', tasks: [
      { key: 'ok', depends_on: [], kind: 'approval', task_desc: 'Send the newsletter to 4,000 readers?', task_abstract: 'send the newsletter' },
      { key: 'send', depends_on: ['ok'], task_desc: 'send it', task_abstract: 'send', assignee: [worker.id] },
    ] })).task_ids;
    const card = page.getByRole('listitem', { name: 'approval ok' });
    await card.getByText('Send the newsletter to 4,000 readers?').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await card.getByLabel('Comment').fill('go ahead');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing waits for your decision.').waitFor();
    const task = await worker.client.waitFor('task', (t) => t.id === send && t.node_state === 'dispatched');
    expect(task.inputs).toMatchObject([{ key: 'ok', state: 'completed', task_conclusion: 'go ahead' }]);
    for (const x of [coord, worker]) x.client.close();
    await page.context().close();
  });

  it('lets a person who is a member answer in the console in her turn, and see her part', async () => {
    const call = api(server.url);
    const [coord, other] = await fleet(server, ['member-coordinator', 'member-agent']);
    const g = (await call('POST', '/v1/groups', ADMIN_TOKEN, { coordinator: coord.id, goal: 'choose the venue', members: [other.id] })).body.id;
    const vera = (await call('POST', '/v1/people', ADMIN_TOKEN, { name: 'Vera', scope: {} })).body;
    ok(await coord.client.emit('subscribe', { group_id: g }));
    // The coordinator invites her; the invite waits for her in the console, and she accepts it there.
    await call('POST', `/v1/groups/${g}/members`, coord.token, { agent_id: vera.person.id });
    const page = await newPage();
    await page.goto(`${server.url}/#token=${vera.token}`);
    const invites = page.getByRole('region', { name: 'invites' });
    await invites.getByText('choose the venue').waitFor();
    await invites.getByRole('button', { name: 'Accept' }).click();
    await until('her to be a member', async () => (await call('GET', `/v1/groups/${g}`, ADMIN_TOKEN)).body.humans.includes(vera.person.id));
    await page.goto(`${server.url}/groups/${g}`);
    await page.getByText('You are a member of this group').waitFor();
    ok(await coord.client.send(g, 'discussion', { content: 'Vera, the hall or the garden?', next_speaker: [vera.person.id] }));
    const box = page.getByLabel('Your turn: your answer to the group');
    await box.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await box.fill('The garden, if it is dry.');
    await page.getByRole('button', { name: 'Send' }).click();
    const heard = await coord.client.waitFor('message', (m) => m.header.group_id === g && m.header.type === 'discussion' && m.header.sender === vera.person.id);
    expect(heard.payload.content).toBe('The garden, if it is dry.');
    await page.getByText('You are a member of this group').waitFor();
    for (const x of [coord, other]) x.client.close();
    await page.context().close();
  });
});
