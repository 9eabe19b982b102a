import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useState } from 'react';
import type { ApprovalView } from '@ioa/protocol';
import { get } from '../api';
import { ActionButton } from '../common/action';
import { PageHeading } from '../common/heading';
import { Badge, Failure, Loading } from '../common/ui';
import { Link } from '../router';
import { useApprovalEvents } from '../socket';

/**
 * What waits for the signed-in person's decision (an admin's: every approval): read again on each `approval` event,
 * and every 30 s in case. Approve or reject, with a comment that reaches the graph's next nodes.
 */
export function ApprovalsPage() {
  const queries = useQueryClient();
  const approvals = useQuery({ queryKey: ['approvals'], queryFn: () => get<ApprovalView[]>('/approvals'), refetchInterval: 30_000 });
  useApprovalEvents(useCallback(() => void queries.invalidateQueries({ queryKey: ['approvals'] }), [queries]));
  return (
    <>
      <PageHeading title="Approvals" />
      {approvals.error ? <Failure error={approvals.error} />
        : !approvals.data ? <Loading what="approvals" />
          : !approvals.data.length ? <p className="muted">Nothing waits for your decision.</p>
            : <ul className="approvals">{approvals.data.map((a) => <Approval key={a.id} approval={a} />)}</ul>}
    </>
  );
}

function Approval({ approval: a }: { approval: ApprovalView }) {
  const [comment, setComment] = useState('');
  const commentId = useId();
  const path = `/approvals/${encodeURIComponent(a.id)}`;
  const body = (decision: 'approve' | 'reject') => ({ decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  return (
    <li className="approval" aria-label={`approval ${a.key}`}>
      <h2>{a.what} <Badge value={a.state} /></h2>
      <p className="detail">{a.detail}</p>
      <p className="muted">
        Node <code>{a.key}</code> of a task graph in <Link to={`/groups/${a.group_id}`}>this group</Link>
        {a.expires_at && <>; counts as rejected at {new Date(a.expires_at).toLocaleString()}</>}
      </p>
      <label htmlFor={commentId}>Comment</label>{' '}
      <input id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />{' '}
      <ActionButton label="Approve" method="POST" path={path} body={body('approve')} />
      <ActionButton label="Reject" method="POST" path={path} body={body('reject')} confirm={`Reject "${a.what}"? What depends on it follows its failure policy.`} />
    </li>
  );
}
