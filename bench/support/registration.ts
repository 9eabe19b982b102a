import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import agents from '../../test/fixtures/agents.json';
import { freePort } from '../../test/support/server';
import { pool, round, rssMb } from './stats';
import { ADMIN_TOKEN, startIoa } from './targets';

const WIDTH = 8;

/** Fixture cards made unique by index, so the lexical index grows with realistic text. */
function card(i: number) {
  const base = agents[i % agents.length];
  return { ...base, name: `${base.name}-${i}`, description: `${base.description} (instance ${i})` };
}

async function registerAll(url: string, token: string | null, count: number): Promise<number> {
  const started = Date.now();
  await pool(Array.from({ length: count }, (_, i) => async () => {
    const res = await fetch(`${url}/v1/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(card(i)),
    });
    if (res.status !== 201) throw new Error(`registration ${i}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }), WIDTH);
  return (Date.now() - started) / 1000;
}


/**
 * Registration throughput and server RSS with `count` agents (lexical search: no model), over REST with 8 requests
 * in flight, beside a plain http + SQLite insert server doing the same requests.
 */
export async function registration(count: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-bench-raw-registry-'));
  const port = await freePort();
  const raw = fork(join(__dirname, 'raw-registry.js'), [String(port), join(dir, 'raw.sqlite')], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => raw.once('message', resolve));
    const rawSeconds = await registerAll(`http://127.0.0.1:${port}`, null, count);
    const rawRss = rssMb(raw.pid as number);
    const ioa = await startIoa();
    try {
      const before = rssMb(ioa.pid);
      const seconds = await registerAll(ioa.url, ADMIN_TOKEN, count);
      const after = rssMb(ioa.pid);
      const searchStarted = Date.now();
      const res = await fetch(`${ioa.url}/v1/agents/search`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ query: 'turn this paragraph into Spanish' }),
      });
      await res.json();
      return {
        agents: count, in_flight: WIDTH,
        ioa: { per_s: round(count / seconds), seconds: round(seconds), rss_mb_before: round(before), rss_mb_after: round(after), search_ms_at_end: Date.now() - searchStarted },
        raw_http_sqlite: { per_s: round(count / rawSeconds), seconds: round(rawSeconds), rss_mb: round(rawRss) },
        ratio_per_s: round(rawSeconds / seconds, 3),
      };
    } finally {
      await ioa.stop();
    }
  } finally {
    raw.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
