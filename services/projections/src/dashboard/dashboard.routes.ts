import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { leadChannels } from '@l2o/contracts';
import type { FastifyPluginAsyncZod } from '@l2o/service-kit';

const pageDir = fileURLToPath(new URL('../../dashboard/', import.meta.url));
const chartLibrary = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// The page is static and talks only to this origin; ECharts' tooltips set inline styles.
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The page's files by URL path under /dashboard/, found once at start: nothing else is ever read from disk. */
async function pageFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>([['vendor/echarts.min.js', chartLibrary]]);
  for (const entry of await readdir(pageDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || contentTypes[extname(entry.name)] === undefined) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(pageDir, path).split(sep).join('/'), path);
  }
  return files;
}

/**
 * `GET /dashboard`: the analysts' page, plain HTML and ES modules with Apache ECharts from
 * node_modules, no build step. Public: the page itself holds no data and asks for an API key, which
 * every query API call it makes then carries.
 */
export function dashboardRoutes(options: { refreshSeconds?: number } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const files = await pageFiles();
    const routeOptions = { config: { public: true }, schema: { hide: true } } as const;

    app.get('/dashboard', routeOptions, async (_request, reply) => {
      return reply
        .header('content-type', contentTypes['.html'])
        .header('content-security-policy', contentSecurityPolicy)
        .header('cache-control', 'no-cache')
        .send(createReadStream(join(pageDir, 'index.html')) as never);
    });

    app.get('/dashboard/config.json', routeOptions, async () => ({
      channels: leadChannels,
      refreshSeconds: options.refreshSeconds ?? 5,
    }));

    app.get(
      '/dashboard/*',
      { ...routeOptions, schema: { ...routeOptions.schema, params: z.object({ '*': z.string() }) } },
      async (request, reply) => {
        const path = files.get(request.params['*']);
        if (path === undefined) {
          return reply
            .code(404)
            .send({ status: 404, code: 'not_found', reason: `no dashboard file ${request.params['*']}` } as never);
        }
        return reply
          .header('content-type', contentTypes[extname(path)] ?? 'application/octet-stream')
          .header('cache-control', 'no-cache')
          .send(createReadStream(path) as never);
      },
    );
  };
}
