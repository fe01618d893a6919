// `npm test`: every test suite in turn, then one summary line `Tests: N passed, N failed`.
//   1. unit and integration tests on the embedded database (PGlite);
//   2. the same tests on PostgreSQL (CAIRN_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
//      when that server answers; with CI=true a missing server is a failure, never a skip;
//   3. the browser tests (vitest.e2e.config.ts) in Chromium; with CI=true they must run.
// A suite that must run in CI and did not counts as one failure, so the summary agrees with the exit code.
// Extra arguments (e.g. a path filter) go to the unit phases: `npm test -- src/modules/demo`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, buildWebIfStale } from './web-build.mjs';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const PG_URL = process.env.CAIRN_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const RESULTS = path.join(ROOT, '.test-results');
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const extraArgs = process.argv.slice(2);

const say = (line) => process.stdout.write(`${line}\n`);
const banner = (line) => say(`\n━━ ${line}`);

/** Runs vitest with the JSON reporter and returns the counts it reported. */
function runVitest(phase, args, env) {
  const outputFile = path.join(RESULTS, `${phase}.json`);
  fs.rmSync(outputFile, { force: true });
  const argv = [
    VITEST,
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${outputFile}`,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      let problem = null;
      try {
        const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
        counts.passed = report.numPassedTests ?? 0;
        counts.failed = report.numFailedTests ?? 0;
        counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
        // A test file that fails to load has no failed tests of its own: count it as one failure.
        for (const file of report.testResults ?? []) {
          const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
          if (file.status === 'failed' && failedInFile === 0) counts.failed += 1;
        }
        if (report.numTotalTests === 0) problem = 'no tests ran';
      } catch {
        problem = 'vitest wrote no results';
      }
      if ((code !== 0 || signal) && counts.failed === 0) {
        counts.failed += 1;
        problem ??= `vitest exited with ${signal ?? `code ${code}`}`;
      }
      resolve({ ...counts, ok: code === 0 && !problem && counts.failed === 0, problem });
    });
  });
}

async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error.message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

const phases = [];
const record = (name, outcome) => phases.push({ name, ...outcome });
const baseEnv = { ...process.env };
delete baseEnv.DATABASE_URL; // never run tests against a database the shell happens to point at
fs.mkdirSync(RESULTS, { recursive: true });

banner('1/3 unit and integration tests on PGlite (embedded PostgreSQL)');
record('PGlite', await runVitest('pglite', extraArgs, baseEnv));

banner(`2/3 unit and integration tests on PostgreSQL (${redact(PG_URL)})`);
const pgProblem = await postgresAnswers(PG_URL);
if (pgProblem) {
  const why = `PostgreSQL at ${redact(PG_URL)} does not answer (${pgProblem})`;
  if (CI) {
    say(`FAILED: ${why}. CI must run the PostgreSQL phase: start the server (see .ci/run).`);
    record('PostgreSQL', { passed: 0, failed: 1, skipped: 0, ok: false, problem: 'did not run: no server' });
  } else {
    say(`Skipped: ${why}. Set CAIRN_TEST_PG_URL or start PostgreSQL to run it.`);
    record('PostgreSQL', {
      passed: 0,
      failed: 0,
      skipped: 0,
      ok: true,
      problem: 'skipped: no server',
      skippedPhase: true,
    });
  }
} else {
  record('PostgreSQL', await runVitest('postgres', extraArgs, { ...baseEnv, DATABASE_URL: PG_URL }));
}

banner('3/3 browser tests (Chromium)');
const e2eConfig = path.join(ROOT, 'vitest.e2e.config.ts');
if (!fs.existsSync(e2eConfig)) {
  const why = 'vitest.e2e.config.ts is missing';
  if (CI) {
    say(`FAILED: the browser tests did not run: ${why}.`);
    record('browser', { passed: 0, failed: 1, skipped: 0, ok: false, problem: `did not run: ${why}` });
  } else {
    say(`Skipped: ${why}.`);
    record('browser', { passed: 0, failed: 0, skipped: 0, ok: true, problem: 'skipped', skippedPhase: true });
  }
} else {
  let built = true;
  try {
    buildWebIfStale((line) => say(line));
  } catch (error) {
    say(`FAILED: ${error.message}`);
    record('browser', { passed: 0, failed: 1, skipped: 0, ok: false, problem: 'the web app did not build' });
    built = false;
  }
  if (built) record('browser', await runVitest('e2e', ['--config', e2eConfig], baseEnv));
}

banner('Summary');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const p of phases) {
  total.passed += p.passed;
  total.failed += p.failed;
  total.skipped += p.skipped;
  const state = p.skippedPhase ? 'skipped' : p.ok ? 'ok' : 'FAILED';
  say(
    `  ${p.name.padEnd(11)} ${state.padEnd(8)} ${p.passed} passed, ${p.failed} failed${p.skipped ? `, ${p.skipped} skipped` : ''}${p.problem ? ` (${p.problem})` : ''}`,
  );
}
say(
  `Tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(phases.every((p) => p.ok) ? 0 : 1);
