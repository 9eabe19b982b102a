import { useQuery } from '@tanstack/react-query';
import type { GoalView, TreeNode } from '@ioa/protocol';
import { get } from '../api';
import { isAdmin } from '../auth';
import { ActionButton } from '../common/action';
import { AgentList, AgentName, Badge, Failure, Loading, Progress, Section } from '../common/ui';
import { PageHeading } from '../common/heading';
import { Link } from '../router';

const SETTLED = ['completed', 'failed', 'canceled'];

/**
 * A goal: status, coordinator, hand-overs, result, and its team tree, live until the goal is settled. Read again on
 * each `goal_changed` (the goal moved, or a sub-team formed or closed: `app.tsx`), and every 3 s for the tasks' states
 * and progress in the tree, which no goal event carries.
 */
export function GoalPage({ id }: { id: string }) {
  const goal = useQuery({
    queryKey: ['goal', id],
    queryFn: () => get<GoalView>(`/goals/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && SETTLED.includes(q.state.data.status) ? false : 3000),
  });
  if (goal.error) return <Failure error={goal.error} />;
  if (!goal.data) return <Loading what="the goal" />;
  const g = goal.data;
  return (
    <>
      <PageHeading title={g.goal} />
      <p className="meta">
        <Badge value={g.status} /> coordinator <AgentName id={g.coordinator} /> ({chosen(g.coordinator_choice)}) · depth up to {g.team_up_depth} · at most {g.max_turns} turns
      </p>
      {isAdmin() && !SETTLED.includes(g.status) && (
        <ActionButton label="Cancel goal" method="POST" path={`/goals/${g.id}/cancel`} confirm="Cancel this goal? Every group and task under it is closed." />
      )}
      {g.result && <Section title="Result"><p className="result">{g.result}</p></Section>}
      {g.reason && <p className="failure">{g.reason}</p>}
      {g.handovers.length > 0 && (
        <Section title="Hand-overs">
          <ul>{g.handovers.map((h) => <li key={h.at}><AgentName id={h.from} /> did not form a team in time: passed to <AgentName id={h.to} /></li>)}</ul>
        </Section>
      )}
      <Section title="Team tree">
        {g.tree?.length ? <ul className="tree">{g.tree.map((n) => <Team key={n.group_id} node={n} parent={null} />)}</ul> : <p className="muted">No team yet: waiting for the coordinator to form it.</p>}
      </Section>
    </>
  );
}

function Team({ node, parent }: { node: TreeNode; parent: TreeNode | null }) {
  const spawnedBy = parent?.tasks.find((t) => t.id === node.parent_task_id);
  return (
    <li>
      <div className={`team state-${node.state}`}>
        <p>
          <Link to={`/groups/${node.group_id}`}>{node.level === 0 ? 'Root team' : `Sub-team (level ${node.level})`}: {node.goal}</Link> <Badge value={node.state} />
        </p>
        {spawnedBy && <p className="meta">formed for the task "{spawnedBy.task_abstract}"</p>}
        <p className="meta">coordinator <AgentName id={node.coordinator} /> · members <AgentList ids={node.members} /></p>
        {node.tasks.length > 0 && (
          <ul className="tasks">
            {node.tasks.map((t) => (
              <li key={t.id}>
                "{t.task_abstract}" → <AgentList ids={t.assignee} /> <Badge value={t.state} /> <Progress value={t.progress} label={`progress of ${t.task_abstract}`} />
              </li>
            ))}
          </ul>
        )}
      </div>
      {node.children.length > 0 && <ul className="tree">{node.children.map((c) => <Team key={c.group_id} node={c} parent={node} />)}</ul>}
    </li>
  );
}

/** Why the coordinator is this agent: named by the submitter, found by meaning (with its score), or the least busy. */
function chosen(choice: Record<string, unknown>): string {
  if (choice.by === 'search') return `chosen by meaning, score ${Number(choice.score).toFixed(3)}${choice.matched ? `, matched "${String(choice.matched)}"` : ''}`;
  if (choice.by === 'available') return 'the least busy coordinator online: no match by meaning';
  return choice.by === 'named' ? 'named by the submitter' : 'chosen';
}
