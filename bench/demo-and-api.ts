import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_PASSWORD, loadDemoOrganisation } from '../src/modules/demo/demo.service.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { AppContext } from '../src/server/context.js';
import { median, round3, type BenchResult, type Log } from './result.js';

export interface DemoBench {
  result: BenchResult;
  database: Database;
  /** Removes the temporary data folder (after closing the database). */
  cleanup(): Promise<void>;
}

/** Demo organisation load time on a fresh database, against the time its migrations take. */
export async function benchDemoLoad(options: { memory: boolean }, log: Log): Promise<DemoBench> {
  const dataDir = options.memory ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-'));
  const database = await openDatabase(dataDir ? { dataDir } : { memory: true });
  log('demo load: migrations on a fresh database…');
  let t = performance.now();
  await migrateToLatest(database.db);
  const migrateSeconds = (performance.now() - t) / 1000;
  log('demo load: loading the demo organisation…');
  t = performance.now();
  const loaded = await loadDemoOrganisation(database.db);
  const loadSeconds = (performance.now() - t) / 1000;
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
        people: loaded.people,
        teams: loaded.teams,
        database: dataDir ? 'pglite (data folder)' : 'pglite (memory)',
      },
    },
    database,
    async cleanup() {
      await database.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
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
