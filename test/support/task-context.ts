import type { TaskContext, TaskReporter } from '@ioa/client';

/**
 * A `TaskContext` for unit tests of wrappers that run `onTask` without a server: progress goes to `progress`,
 * and the group (absent) is refused when read, so a wrapper that needs it shows up as a failing test.
 */
export function taskContext(progress: TaskReporter['progress'] = async () => undefined, extra: Partial<TaskContext> = {}): TaskContext {
  return {
    progress,
    client: {} as TaskContext['client'],
    me: 'me',
    group: () => Promise.reject(new Error('no group in this unit test')),
    ...extra,
  };
}
