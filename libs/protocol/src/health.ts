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
