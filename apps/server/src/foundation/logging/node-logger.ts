import { ConsoleLogger, LogLevel } from '@nestjs/common';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
/** Ids the log lines name in their text ("group <id>: …"), lifted into fields of the JSON line. */
const IDS: Array<[field: string, pattern: RegExp]> = [
  ['group_id', /\bgroup ([0-9a-f-]{8,36})\b/],
  ['agent_id', /\bagent ([0-9a-f-]{8,36})\b/],
  ['message_id', /\bmessage ([0-9a-f-]{8,36})\b/],
  ['goal_id', /\bgoal ([0-9a-f-]{8,36})\b/],
];

/**
 * Nest's console logger with the node in every line. As JSON (one object per line: level, time, node, context,
 * message, and the group, agent, message and goal ids the message names) for a log collector; as text for a person
 * at a terminal.
 */
export class NodeLogger extends ConsoleLogger {
  constructor(private readonly node: string, level: LogLevel, json: boolean) {
    super({ json, logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1), prefix: json ? undefined : `ioa ${node}` });
  }

  protected getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const line = { ...super.getJsonLogObject(message, options), node: this.node };
    if (typeof message === 'string') for (const [field, pattern] of IDS) {
      const id = pattern.exec(message)?.[1];
      if (id) Object.assign(line, { [field]: id });
    }
    return line;
  }
}
