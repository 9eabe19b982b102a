import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ComponentStatus, HealthView, LivenessView, PROTOCOL_VERSION, ReadinessView } from '@ioa/protocol';
import { Redis, REDIS } from '../../foundation/cluster/redis';
import { ConfigService } from '../../foundation/config/config.service';
import { RegistryFeed } from '../agent-query/registry-feed';
import { GroupHost } from '../session/group-host';
import { EMBEDDING_STATE, EmbeddingState } from '../../foundation/embeddings/embeddings.module';
import { DatabaseHealth } from '../../foundation/persistence/database-health';
import { AgentSearchService } from '../agent-query/agent-search.service';
import { Public } from '../../foundation/security/principal';
import { TokenService } from '../../foundation/security/token.service';
import { VECTOR_STORE, VectorStore, collectionName } from '../../foundation/vector-store/vector-store.port';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DatabaseHealth,
    @Inject(VECTOR_STORE) private readonly vectors: VectorStore,
    @Inject(EMBEDDING_STATE) private readonly embedding: EmbeddingState,
    private readonly tokens: TokenService,
    private readonly search: AgentSearchService,
    private readonly host: GroupHost,
    private readonly feed: RegistryFeed,
    private readonly config: ConfigService,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** Liveness: the process answers. For a supervisor deciding whether to restart it. */
  @Public()
  @Get('live')
  getLiveness(): LivenessView {
    return { status: 'ok' };
  }

  /**
   * Readiness (503 until ready): for a load balancer deciding whether to send this node traffic. Once started, a
   * node stays ready through a short Redis outage (it is built to ride one out), so that all nodes never turn
   * unready at once. The node's name and each check by name are for admins, as `/health`'s components are.
   */
  @Public()
  @Get('ready')
  @ApiResponse({ status: 503, type: ReadinessView, description: 'not ready: the checks that failed are false' })
  async getReadiness(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ReadinessView> {
    const checks: Record<string, boolean> = { database: await this.db.ping(), groups_loaded: this.host.isLoaded };
    if (this.redis) checks.registry_feed = this.feed.started;
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503);
    const status = ready ? 'ready' : 'not_ready';
    return (await this.isAdmin(req.headers.authorization)) ? { status, node: this.config.values.nodeId, checks } : { status };
  }

  /** Liveness for everyone; with an admin bearer token, the state of each component. */
  @Public()
  @Get()
  // The header is read from the request rather than declared: it is optional, and the document must say so.
  async getHealth(@Req() req: Request): Promise<HealthView> {
    const authorization = req.headers.authorization;
    const database = (await this.db.ping()) ? 'ok' : 'down';
    const status: ComponentStatus = database === 'ok' ? 'ok' : 'down';
    if (!(await this.isAdmin(authorization))) return { status, protocol: PROTOCOL_VERSION };
    const { embedder, reason } = this.embedding;
    const collection = embedder ? collectionName(embedder.modelId, embedder.dimension) : null;
    const vectors = collection ? await this.vectors.count(collection).catch(() => -1) : undefined;
    return {
      status,
      protocol: PROTOCOL_VERSION,
      components: {
        database: { status: database, driver: this.db.driver },
        vector_store: { status: vectors === -1 ? 'down' : 'ok', kind: this.vectors.kind, ...(vectors !== undefined && vectors >= 0 ? { vectors } : {}) },
        embedder: this.embedderStatus(reason),
        model: { id: embedder?.modelId ?? null, dimension: embedder?.dimension ?? null },
      },
    };
  }

  /** Search's own mode: lexical when no model loaded, or while stored vectors are being rebuilt. */
  private embedderStatus(reason: string | null): NonNullable<HealthView['components']>['embedder'] {
    if (this.search.mode === 'dense+lexical') return { status: 'ok', mode: 'dense+lexical' };
    return { status: 'degraded', mode: 'lexical', reason: this.search.denseUnavailable ?? reason ?? undefined };
  }

  private async isAdmin(authorization?: string): Promise<boolean> {
    const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!bearer) return false;
    return this.tokens.authenticateRaw(bearer).then((p) => p.role === 'admin', () => false);
  }
}
