import { Actor, createActor, InspectionEvent, Snapshot } from 'xstate';
import type { GroupState } from '@ioa/protocol';
import { AuditEntity } from '../../data/audit/audit.entity';
import { GroupEntity } from '../../data/groups/group.entity';
import { MessageEntity } from '../../data/groups/message.entity';
import { TaskEntity } from '../../data/tasks/task.entity';
import { SessionContext, SessionInput, sessionMachine } from './session.machine';
import { PolicyGroup } from './session.policy';

/** An open group in memory: its row, its machine and its tasks. Only the session service touches it. */
export class LiveGroup {
  /** The states each machine step passed through, so that pass-through states are logged too. */
  readonly steps: string[] = [];
  readonly actor: Actor<typeof sessionMachine>;
  /** The coordinator's conclusion, kept for the close listeners (a sub-team's result goes to its parent task). */
  summary: string | null = null;

  constructor(public row: GroupEntity, readonly tasks: Map<string, TaskEntity>, start: { input: SessionInput } | { snapshot: unknown }) {
    const inspect = (e: InspectionEvent) => {
      if (e.type === '@xstate.microstep') this.steps.push(String((e.snapshot as { value?: unknown }).value));
    };
    this.actor = 'input' in start
      ? createActor(sessionMachine, { input: start.input, inspect })
      // A restored actor takes no input: its context comes from the snapshot.
      : createActor(sessionMachine, { snapshot: start.snapshot as Snapshot<unknown>, inspect, input: undefined as never });
    this.actor.start();
  }

  get context(): SessionContext {
    return this.actor.getSnapshot().context;
  }

  get state(): GroupState {
    const value = String(this.actor.getSnapshot().value);
    return (value === 'init' ? 'discussion' : value) as GroupState;
  }

  get policy(): PolicyGroup {
    const c = this.context;
    return { state: this.state, coordinator: c.coordinator, members: c.members, holders: c.holders };
  }
}

/** What one serialised action changes: written in one transaction, then delivered in order. */
export class Batch {
  readonly messages: MessageEntity[] = [];
  readonly tasks = new Map<string, TaskEntity>();
  readonly audit: AuditEntity[] = [];
  readonly deliveries: Array<() => void> = [];

  touch(task: TaskEntity): void {
    this.tasks.set(task.id, task);
  }
}
