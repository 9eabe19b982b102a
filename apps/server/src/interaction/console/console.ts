import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` puts the web console (apps/web): dist/web, beside dist/apps. */
export const WEB_ROOT = join(__dirname, '../../../../../web');
const INDEX = join(WEB_ROOT, 'index.html');

/** Paths the console's single-page fallback never answers: missing assets, the API, the socket, the docs, the probes. */
// Case-insensitive, as express routes are (GET /V1/goals is the API's); `docs` covers Swagger's /docs-json too.
const NOT_THE_CONSOLE = /^\/(assets|v1|socket\.io|docs(-json|-yaml)?|health|metrics|mcp|\.well-known)(\/|$)/i;

export const consoleBuilt = () => existsSync(INDEX);

/**
 * Serves the web console from the server's own origin: its files, and index.html for any other page path (the page
 * routes by path). Public like any page; what it shows comes from the API with the token the person signs in with.
 * A build without the console (unit tests, `nest build` alone) serves no page. (Not @nestjs/serve-static: its error
 * middleware turns every error on an excluded path, a body parser's 400 included, into a 404.)
 */
export function serveConsole(app: NestExpressApplication): void {
  if (!consoleBuilt()) return;
  // File names under assets/ carry a hash of their content; index.html is asked for again every time.
  app.use(express.static(WEB_ROOT, {
    index: false,
    setHeaders: (res, path) => res.setHeader('cache-control', path.startsWith(join(WEB_ROOT, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_CONSOLE.test(req.path)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(INDEX);
  });
}
