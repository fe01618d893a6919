import { sql, type Kysely } from 'kysely';

/**
 * Runs a block of DDL one statement at a time. PGlite's query path uses the extended protocol, which
 * takes a single statement, so migrations split their SQL on statement-ending semicolons. Blocks whose
 * bodies contain semicolons (functions) must be run on their own with `sql`.
 */
export async function runStatements(db: Kysely<unknown>, text: string): Promise<void> {
  const statements = text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
