import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ContactView } from '@ioa/protocol';
import { iso } from '../../foundation/runtime/time';
import { ContactEntity } from './contact.entity';

export interface Collaboration {
  members: string[];
  goal: string;
  at: number;
  /** Per task: its assignees and whether it completed or failed. */
  tasks: { assignee: string[]; state: string }[];
}

/** Agent contacts (data layer): who has concluded a group with whom, and how their shared tasks went. */
@Injectable()
export class Contacts {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async of(agentId: string): Promise<ContactView[]> {
    const rows = await this.ds.getRepository(ContactEntity).find({ where: { agentId }, order: { lastAt: 'DESC' } });
    return rows.map((c) => ({
      agent_id: c.contactId, groups: c.groups, completed_tasks: c.completedTasks, failed_tasks: c.failedTasks, last_goal: c.lastGoal,
      last_at: iso(c.lastAt) as string,
    }));
  }

  async ids(agentId: string): Promise<Set<string>> {
    const rows = await this.ds.getRepository(ContactEntity).find({ select: { contactId: true }, where: { agentId } });
    return new Set(rows.map((r) => r.contactId));
  }

  /** Records a concluded group for every pair of its members, in both directions, in one transaction. */
  async record(c: Collaboration): Promise<void> {
    await this.ds.transaction(async (m) => {
      const repo = m.getRepository(ContactEntity);
      for (const a of c.members) {
        for (const b of c.members) {
          if (a === b) continue;
          const shared = c.tasks.filter((t) => t.assignee.includes(a) || t.assignee.includes(b));
          const completed = shared.filter((t) => t.state === 'completed').length;
          const failed = shared.filter((t) => t.state === 'failed').length;
          const row = await repo.findOneBy({ agentId: a, contactId: b });
          await repo.save(Object.assign(row ?? { agentId: a, contactId: b, groups: 0, completedTasks: 0, failedTasks: 0 }, {
            groups: (row?.groups ?? 0) + 1, completedTasks: (row?.completedTasks ?? 0) + completed, failedTasks: (row?.failedTasks ?? 0) + failed,
            lastGoal: c.goal, lastAt: c.at,
          }));
        }
      }
    });
  }
}
