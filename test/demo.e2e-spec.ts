import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from './support/demo';

describe('npm run demo -- --exit (built server, scripted agents, no network)', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ioa-demo-')), 'data');
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('starts a server, forms teams by need, walks every state and exits 0 with the goal\'s result', async () => {
    const { code, output } = await runDemo(['--exit', '--data-dir', dataDir, '--port', '0', '--pace', '50']);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(existsSync(join(dataDir, 'ioa.sqlite'))).toBe(true);

    expect(output).toMatch(/coordinator chosen by meaning: travel-planner \(score \d\.\d{3}\)/);
    expect(output).toMatch(/need "convert miles into kilometres" → unit-converter \(score \d\.\d{3}\)/);
    expect(output).toMatch(/need "check grammar and spelling of a text" → grammar-checker \(score/);
    expect(output).toMatch(/spanish-translator ← invite from travel-planner .*: accepts/);
    for (const state of ['forming', 'discussion', 'sync_task_assignment', 'async_task_assignment', 'pause_and_trigger', 'closed']) {
      expect(output).toMatch(new RegExp(`state (\\w+ → )*${state}`));
    }
    expect(output).toMatch(/^\+\s*[\d.]+s sub1 +spanish-translator conclusion: /m);
    expect(output).toMatch(/^\+\s*[\d.]+s root +travel-planner conclusion: /m);
    expect(output).toContain('word-counter [####................] 20% on "itinerary word count": stdout: words: 33');
    // A task graph: two branches in parallel, then the coordinator's join, which receives both results as inputs.
    expect(output).toMatch(/system: task graph: dispatched "distance", "words"\n/);
    expect(output).toMatch(/system: task graph: dispatched "brief"\n/);
    expect(output).toContain('travel-planner result completed for "trip brief": the drive is 390 miles = 627.6 km; the two-day itinerary runs to 33 words');
    // Then a person's sign-off: a checkpoint before it, and (without --approve) the demo approves by itself.
    expect(output).toMatch(/assigns sync: "sign off the trip brief" → a person's approval\n/);
    expect(output).toMatch(/system: approval "sign-off" waits for a decision: sign off the trip brief\n.*system: checkpoint \w+ \(approval\)/);
    expect(output).toContain('system: admin approved "sign-off": approved by the demo itself');
    expect(output).toContain('coordinator: scripted (set OPENAI_BASE_URL');
    // The sub-team is followed from its announcement in the root group, not found by polling.
    expect(output).toMatch(/^\+\s*[\d.]+s root +spanish-translator forms sub-team sub1 for "welcome note in Spanish": "Proofread /m);
    expect(output).toContain('sub-team sub1 concluded, which settles "welcome note in Spanish": completed');
    expect(output).toContain('== final result (goal completed) ==\nMadrid weekend for four: the drive is 390 miles = 627.6 km; '
      + 'the two-day itinerary runs to 33 words; welcome note: ¡Bienvenidos a Madrid, queridos amigos! Nos vemos en el hotel a las ocho.');
    expect(output).toMatch(/== goal tree ==\nroot \[closed: concluded\]/);
  });

  it('with --approve, waits for a person to approve the brief (through the printed console link\'s token)', async () => {
    let approving: Promise<unknown> | null = null;
    const { code, output } = await runDemo(['--approve', '--exit', '--data-dir', dataDir, '--port', '0', '--pace', '50'], {}, 85_000, (sofar) => {
      const link = /open (http:\/\/[^/\s]+)\/approvals#token=(\S+) and click Approve/.exec(sofar);
      if (!link || approving || !/approval "sign-off" waits for a decision/.test(sofar)) return;
      // What the console's Approve button sends, with the person's token from the link.
      approving = (async () => {
        const [, url, token] = link;
        const [pending] = (await (await fetch(`${url}/v1/approvals`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ id: string }>;
        await fetch(`${url}/v1/approvals/${pending.id}`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'approve', comment: 'fine by me' }),
        });
      })();
    });
    expect({ code, tail: output.slice(-400) }).toMatchObject({ code: 0 });
    expect(output).toContain('system: you approved "sign-off": fine by me');
    expect(output).not.toContain('approved by the demo itself');
  });

  it('exits 1 with the reason when the goal cannot finish in time', async () => {
    const { code, output } = await runDemo(['--exit', '--data-dir', dataDir, '--port', '0', '--timeout', '1']);
    expect(code).toBe(1);
    // Whichever step the second runs out in: starting the server, or waiting for the goal (on a fast machine).
    expect(output).toMatch(/ioa demo: the server did not answer|demo failed: the goal is unfinished \(gave up after/);
  });
});
