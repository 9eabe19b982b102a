import type { Envelope, GoalView, TreeNode } from '@ioa/protocol';

const SETTLED = new Set(['completed', 'failed', 'canceled', 'rejected']);

/** Every group of a tree, depth first. */
const groups = (nodes: TreeNode[] = []): TreeNode[] => nodes.flatMap((n) => [n, ...groups(n.children)]);

/**
 * A goal as text for an LLM host: status, team and tasks, and the result; `short`, one line of where it stands (what
 * progress notifications say).
 */
export function goalSummary(goal: GoalView, short = false): string {
  const all = groups(goal.tree);
  const tasks = all.flatMap((g) => g.tasks);
  const done = tasks.filter((t) => SETTLED.has(t.state)).length;
  const where = `${goal.status}: ${all.length ? `${all.length} group${all.length > 1 ? 's' : ''}, ${done} of ${tasks.length} tasks settled` : 'no team yet'}`;
  if (short) return where;
  const lines = [`goal ${goal.id} (${goal.goal}) is ${where}; coordinator ${goal.coordinator}`];
  for (const g of all) {
    lines.push(`${'  '.repeat(g.level)}group ${g.group_id} [${g.state}${g.close_reason ? `: ${g.close_reason}` : ''}] members ${g.members.join(', ')}`);
    for (const t of g.tasks) lines.push(`${'  '.repeat(g.level)}  task "${t.task_abstract}" → ${t.assignee.join(', ') || 'a person'}: ${t.state}`);
  }
  if (goal.result) lines.push(`result: ${goal.result}`);
  if (goal.reason) lines.push(`reason: ${goal.reason}`);
  return lines.join('\n');
}

/** Messages as plain lines: `#seq sender type: text`. */
export function transcriptText(messages: Envelope[]): string {
  return messages.map(({ header, payload }) => {
    const p = payload as Record<string, unknown>;
    const said = p.content ?? p.text ?? p.summary ?? p.goal ?? p.task_abstract ?? (Array.isArray(p.tasks) ? (p.tasks as Array<{ task_abstract: string }>).map((t) => t.task_abstract).join('; ') : '');
    return `#${header.seq} ${header.sender} ${header.type === 'system' ? String(p.event) : header.type}: ${String(said)}`;
  }).join('\n');
}

/**
 * What changed between two reads of a goal, one short line each: its status, teams and sub-teams formed and closed,
 * their states, and their tasks' states (what A2A status updates say as the team works).
 */
export function goalChanges(before: GoalView | null, after: GoalView): string[] {
  const lines: string[] = [];
  if (before?.status !== after.status) lines.push(`goal ${after.status}${after.reason ? `: ${after.reason}` : ''}`);
  const was = new Map(groups(before?.tree).map((g) => [g.group_id, g]));
  for (const g of groups(after.tree)) {
    const old = was.get(g.group_id);
    const team = g.level === 0 ? 'team' : `sub-team (level ${g.level})`;
    if (!old) lines.push(`${team} formed: ${g.members.join(', ')}`);
    else if (old.state !== g.state) lines.push(`${team} ${g.state === 'closed' ? `closed${g.close_reason ? `: ${g.close_reason}` : ''}` : `moved to ${g.state}`}`);
    const tasks = new Map((old?.tasks ?? []).map((t) => [t.id, t.state]));
    for (const t of g.tasks) {
      if (tasks.get(t.id) !== t.state) lines.push(`task "${t.task_abstract}" (${t.assignee.join(', ') || 'a person'}): ${t.state}`);
    }
  }
  return lines;
}
