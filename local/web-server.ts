import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { portalSecurityHeaderValues, WEB } from '../lib/resources.ts';
import { createWebApi } from '../lambdas/app/web/web-api.ts';
import type { WebDeps } from '../lambdas/app/web/web-ports.ts';

/**
 * Local mode's web channel (SPEC §18): the same API app the Lambda serves, on one port with the
 * built portal (`portal/dist`, when it has been built), as CloudFront puts both on one origin.
 */

export interface RunningWebServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export interface WebServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Where the browser POSTs uploads (the emulator's origin), for the Content-Security-Policy. */
  readonly uploadOrigins?: readonly string[];
}

export async function startWebServer(deps: WebDeps, options: WebServerOptions): Promise<RunningWebServer> {
  // The headers CloudFront adds on AWS, to the API's answers and the portal's files alike, so the
  // portal is tested under the same policy.
  const headers = portalSecurityHeaderValues(options.uploadOrigins ?? []);
  const app = new Hono();
  app.use('/*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  });
  app.route('/', createWebApi(deps));
  const dist = join(new URL('..', import.meta.url).pathname, WEB.portalDist);
  if (existsSync(dist)) {
    app.use('/*', serveStatic({ root: dist }));
    app.get('/*', serveStatic({ path: join(dist, 'index.html') }));
  }
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
