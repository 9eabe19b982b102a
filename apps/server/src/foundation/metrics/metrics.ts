import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What this node counts, in Prometheus's terms. One registry per application (not prom-client's global one), so two
 * servers in one process never collide. Gauges that describe a moment (sockets, open groups) are read when scraped,
 * through `gauge`, from whoever knows them.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  /** Client→server socket events answered, by event and result (`ok` or the error code). */
  readonly acks = new Counter({ name: 'ioa_socket_acks_total', help: 'Socket events answered, by event and result (ok or error code)', labelNames: ['event', 'result'], registers: [this.registry] });
  /** Messages stored in groups, by type (`system` for the server's own). */
  readonly messages = new Counter({ name: 'ioa_messages_total', help: 'Messages stored in groups, by type', labelNames: ['type'], registers: [this.registry] });
  /** Commands for a group this node sent to the node that runs it, by command type and result. */
  readonly forwarded = new Counter({ name: 'ioa_forwarded_commands_total', help: 'Commands forwarded to the node that runs their group, by type and result', labelNames: ['type', 'result'], registers: [this.registry] });
  /** Groups this node took from another node (which died, stalled or shut down). */
  readonly takeovers = new Counter({ name: 'ioa_group_takeovers_total', help: 'Open groups this node took over from another node', registers: [this.registry] });
  readonly tasks = new Histogram({
    name: 'ioa_task_duration_seconds', help: 'From assignment to a settled state, by final state', labelNames: ['state'], registers: [this.registry],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  });
  readonly search = new Histogram({
    name: 'ioa_search_duration_seconds', help: 'Agent searches, by mode', labelNames: ['mode'], registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });

  /** Process figures (CPU, memory, GC) and the event loop's lag, which is what limits a node first. */
  collectProcess(): void {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** A gauge read at each scrape: `read` returns its value per label set (`{}` keys for a gauge without labels). */
  gauge(name: string, help: string, labelNames: string[], read: () => Array<[Record<string, string>, number]>): void {
    new Gauge({
      name, help, labelNames, registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  }
}
