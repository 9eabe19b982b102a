import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` puts the web console (apps/web): dist/web, beside dist/apps. */
export const WEB_ROOT = join(__dirname, '../../../../../web');

/** Paths the console's single-page fallback must never answer: missing assets, the API, the socket, the docs, the probes. */
const NOT_THE_CONSOLE = ['/assets/{*rest}', '/v1/{*rest}', '/socket.io/{*rest}', '/docs', '/docs/{*rest}', '/health', '/metrics', '/mcp', '/mcp/{*rest}', '/.well-known/{*rest}'];

/**
 * Serves the web console from the server's own origin: its static files, and index.html for any other path (the page
 * routes by path). Public like any page; what it shows comes from the API with the token the person signs in with.
 * A build without the console (unit tests, `nest build` alone) serves no page.
 */
@Module({})
export class ConsoleModule {
  static forRoot(): DynamicModule {
    if (!existsSync(join(WEB_ROOT, 'index.html'))) return { module: ConsoleModule };
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: WEB_ROOT,
          exclude: NOT_THE_CONSOLE,
          serveStaticOptions: {
            index: false,
            // File names under assets/ carry a hash of their content; index.html is asked for again every time.
            setHeaders: (res: Response, path: string) => res.setHeader('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
          },
        }),
      ],
    };
  }
}
