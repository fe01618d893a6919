import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PgBoss, fromPglite } from 'pg-boss';
import type { DB } from './types.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: Kysely for queries, plus what the job queue and live updates need. */
export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Human-readable location, for logs (never includes a password). */
  location: string;
  /** Creates a pg-boss instance on this same database (not yet started). */
  createBoss(): PgBoss;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string. When set, the embedded database is not used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database. Ignored when `databaseUrl` is set. */
  dataDir?: string | undefined;
  /** Embedded database in memory (tests). */
  memory?: boolean;
}

// `date` columns come back as 'YYYY-MM-DD' (no time-zone shift); int8 counts come back as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const identity = (v: string): string => v;
const toNumber = (v: string): number => Number(v);

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.memory ? undefined : path.resolve(options.dataDir ?? './data'));
}

async function openPostgres(url: string): Promise<Database> {
  const types = {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === DATE_OID) return identity;
      if (oid === INT8_OID) return toNumber;
      return pg.types.getTypeParser(oid, format as 'text');
    }) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle client whose server connection ends (restart, failover, admin termination) is dropped and
  // replaced on the next query; without a listener node-postgres would raise it as an uncaught error.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection lost: ${error.message}`, { code: 'CAIRN_PG_IDLE' });
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    db,
    kind: 'postgres',
    location: redact(url),
    createBoss: () => new PgBoss({ connectionString: url, max: 4 }),
    async listen(channel, onPayload) {
      if (!listener) {
        listener = new pg.Client({ connectionString: url });
        await listener.connect();
        listener.on('notification', (msg) => {
          for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async notify(channel, payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    async close() {
      await listener?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let releaseLock = (): void => undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = new PGlite(dataDir);
    await pglite.waitReady;
    // PGlite 0.5 does not merge the constructor's `parsers` option into its own table; set them on it.
    Object.assign(pglite.parsers, { [DATE_OID]: identity, [INT8_OID]: toNumber });
  } catch (error) {
    releaseLock();
    throw new Error(`Cannot open the embedded database in ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    createBoss: () => new PgBoss({ db: fromPglite(pglite) }),
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return unsubscribe;
    },
    async notify(channel, payload) {
      await pglite.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await db.destroy();
      releaseLock();
    },
  };
}

/**
 * The embedded database is single-process: a second process on the same folder would corrupt it.
 * A lock file holding the owner's pid turns that into a clear error; a stale lock (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'cairn.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The data folder ${dataDir} is in use by another Cairn process (pid ${owner}). ` +
            'Stop that process first, or use the running server through its API.',
          { cause: error },
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
