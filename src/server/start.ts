import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { isDemoLoaded, loadDemoOrganisation, type DemoLogin } from '../modules/demo/demo.service.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { startJobs } from './jobs.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  demoLogins: DemoLogin[];
  stop(): Promise<void>;
}

/**
 * Opens the database, applies migrations, loads the demo organisation in demo mode, starts the job
 * queue and listens. Progress goes to `log` (stderr by default).
 */
export async function startServer(
  config: Config,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log(
    `Database: ${database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${database.location}` : `PostgreSQL ${database.location}`}`,
  );
  const { applied } = await migrateToLatest(database.db);
  if (applied.length) log(`Applied ${applied.length} migration(s).`);
  let demoLogins: DemoLogin[] = [];
  if (config.demo) {
    if (!(await isDemoLoaded(database.db))) log('Loading the demo organisation…');
    const result = await loadDemoOrganisation(database.db, { log });
    demoLogins = result.logins;
  }
  const ctx: AppContext = { db: database.db, database, config, boss: undefined };
  if (config.jobs) ctx.boss = await startJobs(ctx);
  const app = await buildApp(ctx, { logger: config.logLevel !== 'silent' });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let stopped = false;
  return {
    app,
    ctx,
    url,
    demoLogins,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await ctx.boss?.stop({ graceful: true, timeout: 5000 }).catch(() => undefined);
      await database.close();
    },
  };
}
