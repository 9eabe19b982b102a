import { ErrorCode, GoalView, TreeNode } from '@ioa/protocol';
import { ConnectionFailed, isIoAError } from '../errors';
import { RestClient } from '../rest';

const TERMINAL = ['completed', 'failed', 'canceled'];

/** Agent names for ids, read once each (an id stays shown as its first 8 characters when its card cannot be read). */
export class Names {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly rest: RestClient) {}

  of(id: string): Promise<string> {
    let name = this.cache.get(id);
    if (!name) {
      name = this.rest.getAgent(id).then((a) => a.name, () => id.slice(0, 8));
      this.cache.set(id, name);
    }
    return name;
  }

  list(ids: string[]): Promise<string> {
    return Promise.all(ids.map((id) => this.of(id))).then((n) => n.join(', '));
  }
}

export const bar = (p: number) => `[${'#'.repeat(Math.round(p * 20)).padEnd(20, '.')}] ${Math.round(p * 100)}%`;

/** A team of a tree in words: who coordinates whom. */
export const describeTeam = async (g: TreeNode, names: Names) => `${await names.of(g.coordinator)} coordinating ${await names.list(g.members.filter((m) => m !== g.coordinator))}`;

/** A task of a tree in words, with a progress bar. */
export const describeTask = async (t: TreeNode['tasks'][number], names: Names) => `task "${t.task_abstract}" for ${await names.list(t.assignee)}: ${t.state} ${bar(t.progress)}`;

/** The groups of a tree, depth first. */
export const groupsOf = (tree: TreeNode[]): TreeNode[] => tree.flatMap((n) => [n, ...groupsOf(n.children)]);

/**
 * Follows a goal by polling it (so a server restart only pauses it) and prints what changed, one line each: status,
 * hand-overs between coordinators, teams formed and their states, tasks with a progress bar. Returns the goal once it
 * is settled; throws after `timeoutS` with what to run to follow it again.
 */
export async function followGoal(rest: RestClient, goalId: string, o: { timeoutS: number; intervalMs?: number; log?: (line: string) => void }): Promise<GoalView> {
  const log = o.log ?? ((line: string) => console.log(line));
  const names = new Names(rest);
  const printed = new Map<string, string>();
  /** Prints `line` under `key` unless the same was printed for it last time. */
  const once = (key: string, line: string) => printed.get(key) !== line && (printed.set(key, line), log(line));
  const giveUpAt = Date.now() + o.timeoutS * 1000;
  let last: GoalView | null = null;
  let away = false;
  for (;;) {
    try {
      const goal = (await rest.getGoal(goalId)) as GoalView & { tree?: TreeNode[] };
      if (away) log('server reachable again');
      away = false;
      last = goal;
      once('status', `goal ${goal.status}${goal.status === 'pending' ? `: waiting for ${await names.of(goal.coordinator)} to form the team` : ''}`);
      for (const [i, h] of goal.handovers.entries()) once(`handover ${i}`, `  ${await names.of(h.from)} did not form a team in time: the goal passed to ${await names.of(h.to)}`);
      for (const g of groupsOf(goal.tree ?? [])) {
        const indent = '  '.repeat(g.level + 1);
        once(`group ${g.group_id}`, `${indent}${g.level ? 'sub-team' : 'team'} ${g.group_id.slice(0, 8)} (${g.state}): ${await describeTeam(g, names)}`);
        for (const t of g.tasks) once(`task ${t.id}`, `${indent}  ${await describeTask(t, names)}`);
      }
      if (TERMINAL.includes(goal.status)) {
        log(`${goal.status}: ${goal.result ?? goal.reason ?? ''}`);
        return goal;
      }
    } catch (e) {
      if (!(e instanceof ConnectionFailed) && !isIoAError(e, ErrorCode.UNAVAILABLE)) throw e;
      if (!away) log(`server unreachable (${(e as Error).message}); retrying`);
      away = true;
    }
    if (Date.now() > giveUpAt) {
      throw new Error(`gave up after ${o.timeoutS} s: goal ${goalId} is still ${last?.status ?? 'unknown'}; \`ioa goal watch ${goalId}\` follows it again`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 1000));
  }
}
