import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { ConfigService } from '../config/config.service';
import { Metrics } from './metrics';

/**
 * Serves `GET /metrics` in Prometheus's text format on its own port (`IOA_METRICS_PORT`, loopback by default):
 * scrapers send no token, so the API's port never serves it. A port already taken is logged, not fatal.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('metrics');
  private server: Server | null = null;

  constructor(private readonly metrics: Metrics, private readonly config: ConfigService) {}

  onApplicationBootstrap(): void {
    const at = this.config.values.metrics;
    if (!at) return;
    this.metrics.collectProcess();
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end();
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
    server.on('error', (e) => this.logger.error(`metrics not served on ${at.host}:${at.port}: ${e.message}`));
    server.listen(at.port, at.host, () => this.logger.log(`metrics at http://${at.host}:${at.port}/metrics`));
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}

@Global()
@Module({ providers: [Metrics, MetricsServer], exports: [Metrics] })
export class MetricsModule {}
