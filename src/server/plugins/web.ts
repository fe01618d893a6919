import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendNotFound } from './errors.js';

/** Where `vite build` writes the web app. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/**
 * Serves the React app at `/` with a single-page fallback: unknown non-API paths get index.html so
 * client-side routes survive a reload; unknown API paths get a JSON 404.
 */
export async function registerWeb(app: FastifyInstance, root: string = WEB_DIST): Promise<void> {
  const hasBuild = fs.existsSync(path.join(root, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root,
      // Files are looked up per request, so a rebuild while the server runs is served at once.
      wildcard: true,
      index: false,
      setHeaders(reply, filePath) {
        // Vite names built assets by content hash: they never change under the same name.
        const hashed = filePath.startsWith(path.join(root, 'assets') + path.sep);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  if (hasBuild) {
    // The wildcard file route would treat `/` as a directory listing (403); the app lives there.
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html'),
    );
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const wantsPage =
      request.method === 'GET' && !url.startsWith('/api') && !url.startsWith('/hooks') && !path.extname(url);
    if (wantsPage) {
      if (hasBuild) return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
      return reply
        .type('text/html')
        .send(
          '<!doctype html><title>Cairn</title><p>The web app is not built. Run <code>npm run build</code> (or <code>npm start</code>).</p>',
        );
    }
    return sendNotFound(reply);
  });
}
