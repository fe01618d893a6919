import http from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadDemoOrganisation, type DemoLogin, type DemoProgress } from '../modules/demo/demo.service.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { startJobs } from './jobs.js';
import { buildLoadingApp, type StartupState } from './loading.js';
import { YieldingPlugin } from './yielding.js';

export interface StartedApp {
  app: FastifyInstance;
  demoLogins: DemoLogin[];
}

export interface RunningServer {
  ctx: AppContext;
  url: string;
  /**
   * Resolves when the full app serves (in demo mode: once the demo organisation is loaded; until
   * then a loading screen answers on the same address). Rejects when loading failed.
   */
  ready: Promise<StartedApp>;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
  /** Demo load progress, as it advances. */
  onProgress?: (progress: DemoProgress) => void;
}

/**
 * Opens the database, applies migrations and listens at once. In demo mode a loading screen answers
 * (web app, /healthz, /readyz = 503 with the progress) while the demo organisation loads in the
 * background; then the job queue starts and the full app takes over the same socket.
 */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log(
    `Database: ${database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${database.location}` : `PostgreSQL ${database.location}`}`,
  );
  const ctx: AppContext = { db: database.db, database, config, boss: undefined };
  try {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length) log(`Applied ${applied.length} migration(s).`);
  } catch (error) {
    await database.close();
    throw error;
  }

  // One socket for the whole life of the process; the request handler is switched from the
  // loading screen to the full app when it is built.
  const server = http.createServer();
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  server.on('request', (req, res) => handler(req, res));
  const factory =
    (use: (h: http.RequestListener) => void): FastifyServerFactory =>
    (h) => {
      use(h as http.RequestListener);
      return server;
    };

  let state: StartupState = { percent: 0, step: 'starting' };
  let loadingApp: FastifyInstance | undefined;
  if (config.demo) {
    loadingApp = await buildLoadingApp(
      config,
      () => state,
      factory((h) => (handler = h)),
    );
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await loadingApp?.close();
    await database.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const abort = new AbortController();
  let app: FastifyInstance | undefined;
  const ready = (async (): Promise<StartedApp> => {
    let demoLogins: DemoLogin[] = [];
    if (config.demo) {
      // The loading screen keeps answering between the loader's queries.
      const result = await loadDemoOrganisation(database.db.withPlugin(new YieldingPlugin()), {
        log,
        signal: abort.signal,
        onProgress: (p) => {
          state = { percent: p.percent, step: p.step };
          options.onProgress?.(p);
        },
      });
      demoLogins = result.logins;
    }
    abort.signal.throwIfAborted();
    if (config.jobs) ctx.boss = await startJobs(ctx);
    let fullHandler: http.RequestListener | undefined;
    app = await buildApp(ctx, {
      logger: config.logLevel !== 'silent',
      serverFactory: factory((h) => (fullHandler = h)),
    });
    if (fullHandler) handler = fullHandler;
    await loadingApp?.close();
    return { app, demoLogins };
  })();
  ready.catch((error: Error) => {
    state = { ...state, error: error.message };
  });

  let stopped = false;
  return {
    ctx,
    url,
    ready,
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort(new Error('Cairn is shutting down'));
      // A demo load stops at its next step; what it wrote is resumed on the next start.
      await ready.catch(() => undefined);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await app?.close();
      await loadingApp?.close();
      server.closeAllConnections();
      await closed;
      await ctx.boss?.stop({ graceful: true, timeout: 5000 }).catch(() => undefined);
      await database.close();
    },
  };
}
