import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { GroupStore } from '../../data/groups/group-store';
import { GroupNotOpen } from '../session/group-errors';
import { SessionEvents } from '../session/session-events';
import { SessionService } from '../session/session.service';

/**
 * Cancel down the tree: once a task is stored `canceled` (its coordinator canceled it, its graph failed, or its group
 * closed), or a rollback restarted it, the sub-teams working for it close `canceled`, each with every open group below it, deepest first (as a
 * goal's cancel does), so that nobody works on for a result nobody waits for.
 */
@Injectable()
export class SubteamCascade implements OnModuleInit {
  private readonly logger = new Logger('subteams');

  constructor(private readonly events: SessionEvents, private readonly store: GroupStore, private readonly sessions: SessionService) {}

  onModuleInit(): void {
    this.events.on('subteamsAbandoned', (groupId, taskId, why) => void this.cascade(groupId, taskId, why));
  }

  async cascade(groupId: string, taskId: string, why: string): Promise<void> {
    try {
      for (const sub of await this.store.openSubteams(groupId, taskId)) {
        const open = (await this.store.subtree(sub.id)).filter((g) => g.state !== 'closed').sort((a, b) => b.level - a.level);
        for (const g of open) {
          // One may close by itself meanwhile (concluded, or closed by another cascade): that is no failure.
          await this.sessions.close(g.id, 'canceled', 'system', why).catch((e: Error) => {
            if (!(e instanceof GroupNotOpen)) this.logger.warn(`group ${g.id}: not closed for task ${taskId} of group ${groupId} (${e.message})`);
          });
        }
      }
    } catch (e) {
      this.logger.warn(`group ${groupId} task ${taskId}: the sub-teams working for it could not be closed (${(e as Error).message})`);
    }
  }
}
