import { Injectable } from '@nestjs/common';
import { ApprovalView } from '@ioa/protocol';
import { GroupStore } from '../../data/groups/group-store';
import { TaskEntity } from '../../data/tasks/task.entity';
import { ApiError } from '../../foundation/http/api-error';
import { Principal } from '../../foundation/security/principal';
import { assertAllowed, refusal } from '../access/access';
import { approvalView, isApproval } from './approvals';
import { GroupHost } from './group-host';

/** The newest approvals a list holds, at most. */
const APPROVALS_READ = 500;

/** Approvals as those who may decide them see them: every one for admins; a participant's own and its scope's. */
@Injectable()
export class ApprovalReader {
  constructor(private readonly store: GroupStore, private readonly host: GroupHost) {}

  /** Newest first: those waiting for a decision, or (`all`) every one its graph asked for, that `p` may decide. */
  async list(p: Principal, state: 'pending' | 'all' = 'pending'): Promise<ApprovalView[]> {
    const scope = p.role === 'admin' ? undefined : { personId: p.id, groups: p.scope?.groups ?? [], goals: p.scope?.goals ?? [] };
    const tasks = await this.store.approvals({ pending: state === 'pending', scope }, APPROVALS_READ);
    const groups = new Map((await this.store.getMany([...new Set(tasks.map((t) => t.groupId))])).map((g) => [g.id, g]));
    return tasks.flatMap((stored) => {
      const group = groups.get(stored.groupId);
      const t = this.current(stored);
      return group && !refusal(p, { action: 'approval.decide', approvers: t.approvers, group }) ? [approvalView(t, group)] : [];
    }).filter((a) => (state === 'all' ? a.requested_at !== null : a.state === 'pending'));
  }

  /** One approval, for those who may decide it. */
  async get(p: Principal, id: string): Promise<ApprovalView> {
    const stored = await this.store.task(id);
    const group = stored && isApproval(stored) ? await this.store.get(stored.groupId) : null;
    if (!stored || !group) throw ApiError.notFound('approval', id);
    assertAllowed(p, { action: 'approval.decide', approvers: stored.approvers, group });
    return approvalView(this.current(stored), group);
  }

  /** The task as this node runs it (a step not yet committed is not shown), else as stored. */
  private current(stored: TaskEntity): TaskEntity {
    return this.host.get(stored.groupId)?.tasks.get(stored.id) ?? stored;
  }
}
