import { useQuery } from '@tanstack/react-query';
import type { TeamDecisionView } from '@ioa/protocol';
import { ApiFailure, get } from '../api';
import { AgentName, Badge, Failure, Loading } from '../common/ui';

/** Why this team: each need, the candidates found by meaning with their scores, who was invited and what they said. */
export function Decision({ groupId }: { groupId: string }) {
  const decision = useQuery({ queryKey: ['decision', groupId], queryFn: () => get<TeamDecisionView>(`/teams/${encodeURIComponent(groupId)}/decision`) });
  // A group an admin created directly has no decision: nothing to explain.
  if (decision.error instanceof ApiFailure && decision.error.code === 'NOT_FOUND') return null;
  if (decision.error) return <Failure error={decision.error} />;
  if (!decision.data) return <Loading what="the team-up decision" />;
  const d = decision.data;
  return (
    <details className="decision">
      <summary>Why this team: <Badge value={d.outcome} /> requested by <AgentName id={d.requester} /></summary>
      {d.reason && <p className="failure">{d.reason}</p>}
      {d.needs.map((n, i) => (
        <div key={i} className="need">
          <h3>{n.need === null ? 'Named directly' : `Need: "${n.need}"`}{n.count > 1 ? ` (× ${n.count})` : ''}</h3>
          <table className="list">
            <caption className="muted">Candidates, best first</caption>
            <thead><tr><th scope="col">Agent</th><th scope="col">Score</th><th scope="col">Matched</th><th scope="col">Invite</th></tr></thead>
            <tbody>
              {n.candidates.map((c) => {
                const invite = n.invites.find((v) => v.agent_id === c.agent_id);
                return (
                  <tr key={c.agent_id}>
                    <td><AgentName id={c.agent_id} />{c.contact ? ' (past collaborator)' : ''}</td>
                    <td>{c.score.toFixed(3)}</td>
                    <td>{c.matched}</td>
                    <td>{invite ? <><Badge value={invite.status} />{invite.reason ? ` ${invite.reason}` : ''}</> : 'not invited'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </details>
  );
}
