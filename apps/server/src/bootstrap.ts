import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { readFileSync } from 'node:fs';
import { PROTOCOL_VERSION } from '@ioa/protocol';
import { AppModule } from './app.module';
import { AppConfig } from './foundation/config/config';
import { validationError } from './foundation/http/api-error';
import { openApiDocument } from './foundation/http/openapi';
import { ErrorFilter, jsonRpcParseErrors } from './foundation/http/error.filter';
import { HostedMembers } from './interaction/interop/a2a-members/hosted-members';
import { inputShapeMiddleware } from './foundation/http/input-shape';
import { NodeLogger } from './foundation/logging/node-logger';
import { SocketAdapter } from './foundation/network/socket.adapter';
import { Redis, REDIS } from './foundation/cluster/redis';
import { consoleBuilt, serveConsole } from './interaction/console/console';

/** Builds the application without listening, so that `main` and the OpenAPI writer share one setup. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const httpsOptions = config.tls
    ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key), minVersion: config.tls.minVersion }
    : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    httpsOptions,
    bodyParser: false,
    logger: new NodeLogger(config.nodeId, config.logLevel, config.logFormat === 'json' || (config.logFormat === 'auto' && !process.stdout.isTTY)),
  });
  // Security headers on every response; /docs (Swagger UI runs inline scripts) goes without a content security policy.
  // The console's policy admits its own files only (no inline script or style, no other origin): its sessionStorage
  // holds a token. Requests are upgraded to https only when the server itself speaks TLS (else loopback would break).
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"],
        connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"], ...(config.tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
  });
  const docsHeaders = helmet({ contentSecurityPolicy: false });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/docs') ? docsHeaders : headers)(req, res, next));
  // Cross-origin browser calls are refused unless IOA_CORS_ORIGINS lists the origin.
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, allowedHeaders: ['authorization', 'content-type'], exposedHeaders: ['retry-after'] });
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(jsonRpcParseErrors);
  app.use(inputShapeMiddleware);
  serveConsole(app);
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationError }),
  );
  app.useGlobalFilters(new ErrorFilter());
  app.useWebSocketAdapter(new SocketAdapter(app, config.sessions.messageMaxBytes, config.corsOrigins, app.get<Redis | null>(REDIS)));
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, openApiDocument(app));
  return app;
}

export async function listen(app: NestExpressApplication, config: AppConfig): Promise<void> {
  await app.listen(config.port, config.host);
  // Hosted A2A agents connect to this server over loopback: only once it listens.
  await app.get(HostedMembers).start();
  const scheme = config.tls ? 'https' : 'http';
  new Logger('ioa').log(`listening on ${scheme}://${config.host}:${config.port} (${PROTOCOL_VERSION}, data in ${config.dataDir})`);
  const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  if (consoleBuilt()) new Logger('ioa').log(`web console at ${scheme}://${host}:${config.port}/ (sign in with the admin token or an observer token)`);
}
