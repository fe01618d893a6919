import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_PASSWORD } from '../src/modules/demo/demo.service.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { AppContext } from '../src/server/context.js';
import { startServer } from '../src/server/start.js';
import { median, round3, type BenchResult, type Log } from './result.js';

export interface DemoBench {
  result: BenchResult;
  /** Fresh-folder `cairn start --demo` (in process) to ready, against opening an empty database + migrations. */
  startup: BenchResult;
  database: Database;
  /** Stops the server and removes the temporary data folders. */
  cleanup(): Promise<void>;
}

/**
 * One demo start on a fresh data folder, through the same `startServer` as `cairn start --demo`:
 * the demo organisation's load time against its migrations, and start-to-ready against opening an
 * empty database and migrating it (both measured in this run).
 */
export async function benchDemoLoad(options: { memory: boolean }, log: Log): Promise<DemoBench> {
  const baseDir = options.memory ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-base-'));
  log('demo load: opening an empty database and migrating it (baseline)…');
  let t = performance.now();
  const empty = await openDatabase(baseDir ? { dataDir: baseDir } : { memory: true });
  const opened = performance.now();
  await migrateToLatest(empty.db);
  const migrateSeconds = (performance.now() - opened) / 1000;
  const openMigrateSeconds = (performance.now() - t) / 1000;
  await empty.close();
  if (baseDir) fs.rmSync(baseDir, { recursive: true, force: true });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-'));
  const config = loadConfig(
    { demo: true, jobs: false, logLevel: 'silent', port: 0, host: '127.0.0.1', dataDir },
    {},
  );
  log('demo load: cairn start --demo on a fresh data folder…');
  let loadStarted = 0;
  let loadEnded = 0;
  t = performance.now();
  const server = await startServer(config, {
    log: () => undefined,
    onProgress: (p) => {
      if (!loadStarted) loadStarted = performance.now();
      if (p.percent >= 100) loadEnded = performance.now();
    },
  });
  const listeningSeconds = (performance.now() - t) / 1000;
  try {
    await server.ready;
  } catch (error) {
    await server.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const readySeconds = (performance.now() - t) / 1000;
  const loadSeconds = ((loadEnded || performance.now()) - loadStarted) / 1000;
  const people = await server.ctx.db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const teams = await server.ctx.db
    .selectFrom('team')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'team')
    .executeTakeFirstOrThrow();
  return {
    result: {
      name: 'demo_load_time',
      value: round3(loadSeconds),
      unit: 's',
      baseline: round3(migrateSeconds),
      baseline_name: 'migrations on a fresh database',
      ratio: round3(loadSeconds / migrateSeconds),
      target: 'value < 60',
      met: loadSeconds < 60,
      size: {
        people: Number(people.n),
        teams: Number(teams.n),
        database: 'pglite (data folder)',
      },
    },
    startup: {
      name: 'startup_to_ready',
      value: round3(readySeconds),
      unit: 's',
      baseline: round3(openMigrateSeconds),
      baseline_name: 'open an empty database and migrate it',
      ratio: round3(readySeconds / openMigrateSeconds),
      target: 'value < 60',
      met: readySeconds < 60,
      size: {
        listening_s: round3(listeningSeconds),
        database: 'pglite (fresh data folder)',
        modules: 'already loaded (in process)',
      },
    },
    database: server.ctx.database,
    async cleanup() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function timeRequests(app: FastifyInstance, url: string, cookie: string | undefined, samples: number) {
  const headers = cookie ? { cookie } : {};
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    times.push(performance.now() - t);
    if (res.statusCode !== 200)
      throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  return times;
}

/** p50 latency of a person's profile (signed in as their manager) against GET /healthz, through inject. */
export async function benchApiLatency(database: Database, samples: number, log: Log): Promise<BenchResult> {
  const config = loadConfig(
    { demo: true, jobs: false, logLevel: 'silent', loginRateLimitPerMinute: 1_000_000 },
    {},
  );
  const ctx: AppContext = { db: database.db, database, config, boss: undefined };
  const app = await buildApp(ctx);
  try {
    // A team manager (M1) with a current report: the profile read goes through the access policy.
    const line = await database.db
      .selectFrom('reporting_line')
      .innerJoin('person as m', 'm.id', 'reporting_line.manager_id')
      .innerJoin('account', 'account.person_id', 'm.id')
      .select(['reporting_line.person_id', 'account.email'])
      .where('reporting_line.valid_to', 'is', null)
      .where('m.level', '=', 'M1')
      .where('m.leave_date', 'is', null)
      .orderBy('account.email')
      .executeTakeFirstOrThrow();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: line.email, password: DEMO_PASSWORD },
    });
    const session = login.cookies.find((c) => c.name === 'cairn_session');
    if (login.statusCode !== 200 || !session) throw new Error(`demo login failed: ${login.statusCode}`);
    const cookie = `cairn_session=${session.value}`;
    const profileUrl = `/api/v1/people/${line.person_id}/profile`;
    log(`api latency: ${samples} requests each to /healthz and ${profileUrl}…`);
    const warmup = Math.max(5, Math.floor(samples / 10));
    await timeRequests(app, '/healthz', undefined, warmup);
    await timeRequests(app, profileUrl, cookie, warmup);
    const health = median(await timeRequests(app, '/healthz', undefined, samples));
    const profile = median(await timeRequests(app, profileUrl, cookie, samples));
    const ratio = profile / health;
    return {
      name: 'api_profile_latency_p50',
      value: round3(profile),
      unit: 'ms',
      baseline: round3(health),
      baseline_name: 'GET /healthz p50',
      ratio: round3(ratio),
      target: '<= 20',
      met: ratio <= 20,
      size: { samples, database: database.kind },
    };
  } finally {
    await app.close();
  }
}
