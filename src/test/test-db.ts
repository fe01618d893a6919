import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';

/**
 * A fresh, migrated database for one test file. On PGlite (default) it lives in memory; when
 * DATABASE_URL is set, a new database is created on that server and dropped afterwards, so test
 * files never see each other's rows.
 */
export interface TestDatabase {
  database: Database;
  kind: 'pglite' | 'postgres';
  url: string | undefined;
  destroy(): Promise<void>;
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    return { database, kind: 'pglite', url: undefined, destroy: () => database.close() };
  }
  const name = `cairn_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrateToLatest(database.db);
  return {
    database,
    kind: 'postgres',
    url: url.toString(),
    async destroy() {
      await database.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/**
 * Drops a test database once its connections have gone. The pool's `end()` resolves before its
 * clients' sockets have closed; dropping `with (force)` at that moment terminates them mid-goodbye
 * and node-postgres reports that as an uncaught error. So wait for them (55006: still in use) and
 * force only as a last resort.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const drop = new pg.Client({ connectionString: adminUrl });
  await drop.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await drop.query(`drop database if exists ${name}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await drop.query(`drop database if exists ${name} with (force)`);
  } finally {
    await drop.end();
  }
}
