import { Injectable } from '@nestjs/common';
import { DefaultExecutionEventBus, ExecutionEventBus, ExecutionEventBusManager } from '@a2a-js/sdk/server';

/**
 * An event bus per request, not per task (the SDK's default): a second message in a task must not end the stream
 * of the first, whose consumer has already seen a `task` event. The follow loop of a task publishes to every bus of
 * it (`of`). A bus ends when its request's executor returns, since it delivers synchronously: nothing is pending then.
 * `SubscribeToTask` attaches to the newest bus of the task, if a request on this node still follows it.
 */
@Injectable()
export class RequestBuses implements ExecutionEventBusManager {
  private readonly byTask = new Map<string, Set<ExecutionEventBus>>();

  createOrGetByTaskId(taskId: string): ExecutionEventBus {
    const bus = new DefaultExecutionEventBus();
    const buses = this.byTask.get(taskId) ?? new Set();
    buses.add(bus);
    this.byTask.set(taskId, buses);
    return bus;
  }

  getByTaskId(taskId: string): ExecutionEventBus | undefined {
    return [...(this.byTask.get(taskId) ?? [])].at(-1);
  }

  cleanupByTaskId(taskId: string): void {
    for (const bus of this.byTask.get(taskId) ?? []) bus.finished();
    this.byTask.delete(taskId);
  }

  settleByTaskId(taskId: string, bus: ExecutionEventBus): boolean {
    bus.finished();
    bus.removeAllListeners();
    const buses = this.byTask.get(taskId);
    buses?.delete(bus);
    if (buses?.size === 0) this.byTask.delete(taskId);
    return true;
  }

  /** Every live bus of the task. */
  of(taskId: string): ExecutionEventBus[] {
    return [...(this.byTask.get(taskId) ?? [])];
  }
}
