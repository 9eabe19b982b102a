export type ComponentStatus = 'ok' | 'degraded' | 'down';

/** `GET /health`: `status` for everyone; `components` only for admins. */
export class HealthView {
  status: ComponentStatus;
  protocol: string;
  components?: {
    database: { status: ComponentStatus; driver: string };
    vector_store: { status: ComponentStatus; kind: string; vectors?: number };
    embedder: { status: ComponentStatus; mode: 'dense+lexical' | 'lexical'; reason?: string };
    model: { id: string | null; dimension: number | null };
  };
}

/** `GET /health/live`: the process answers (restart it if not). */
export class LivenessView {
  status: 'ok';
}

/**
 * `GET /health/ready` (503 while not ready): whether this node should get traffic — its database answers, its open
 * groups are loaded, and on several nodes it follows the other nodes' registry changes. With an admin bearer token,
 * the node's name and each check by name.
 */
export class ReadinessView {
  status: 'ready' | 'not_ready';
  node?: string;
  checks?: Record<string, boolean>;
}
