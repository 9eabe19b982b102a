import { useQuery } from '@tanstack/react-query';
import type { GoalPage as Page } from '@ioa/protocol';
import { get } from '../api';
import { AgentName, Badge, Failure, Loading } from '../common/ui';
import { PageHeading } from '../common/heading';
import { Link } from '../router';

/** Every goal the token may read, newest first: read again on each `goal_changed`, and every 30 s in case. */
export function GoalsPage() {
  return (
    <>
      <PageHeading title="Goals" />
      <GoalsTable />
    </>
  );
}

function GoalsTable() {
  const goals = useQuery({ queryKey: ['goals'], queryFn: () => get<Page>('/goals?limit=100'), refetchInterval: 30_000 });
  if (goals.error) return <Failure error={goals.error} />;
  if (!goals.data) return <Loading what="goals" />;
  if (!goals.data.items.length) return <p className="muted">No goals yet. Submit one with <code>ioa goal submit "…"</code> or <code>POST /v1/goals</code>.</p>;
  return (
    <table className="list">
      <caption>Goals ({goals.data.total})</caption>
      <thead>
        <tr><th scope="col">Goal</th><th scope="col">Status</th><th scope="col">Coordinator</th><th scope="col">Depth</th><th scope="col">Result</th></tr>
      </thead>
      <tbody>
        {goals.data.items.map((g) => (
          <tr key={g.id}>
            <td><Link to={`/goals/${g.id}`}>{g.goal}</Link></td>
            <td><Badge value={g.status} /></td>
            <td><AgentName id={g.coordinator} /></td>
            <td>{g.team_up_depth}</td>
            <td className="clip">{g.result ?? g.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
