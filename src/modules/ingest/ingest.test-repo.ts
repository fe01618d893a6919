import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Builds a small git repository for tests: several authors, a `.mailmap` alias (Bob committed once
 * as bob@laptop.local), `Co-authored-by:` trailers, a branch merged with a merge commit, a rename,
 * and a dependabot commit. Dates are fixed so results are deterministic.
 */
export interface TestRepo {
  dir: string;
  /** Adds one more commit by Ada (for incremental runs). */
  addCommit(message: string): void;
  shortlog(): Map<string, number>;
  remove(): void;
}

export const TEST_AUTHORS = {
  ada: { name: 'Ada Lovelace', email: 'ada@kestrel.test' },
  bob: { name: 'Bob Byte', email: 'bob@kestrel.test' },
  bobAlias: { name: 'bob', email: 'bob@laptop.local' },
  carol: { name: 'Carol Code', email: 'carol@kestrel.test' },
  dan: { name: 'Dan Outsider', email: 'dan@contractor.test' },
  bot: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
};

export function buildTestRepo(): TestRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-repo-'));
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000;
  const git = (args: string[], author = TEST_AUTHORS.ada) => {
    clock += 3600;
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_AUTHOR_DATE: `${clock} +0000`,
        GIT_COMMITTER_DATE: `${clock} +0000`,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  };
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const commit = (
    author: { name: string; email: string },
    message: string,
    files: Record<string, string>,
  ) => {
    for (const [f, t] of Object.entries(files)) write(f, t);
    git(['add', '-A'], author);
    git(['commit', '-q', '-m', message], author);
  };
  git(['init', '-q', '-b', 'main']);
  commit(TEST_AUTHORS.ada, 'Start the API', {
    'api/server.ts': 'export const a = 1;\n',
    'README.md': '# demo\n',
  });
  commit(TEST_AUTHORS.bob, 'Add the web client', {
    'web/app.tsx': 'export const App = 1;\n',
    'web/style.css': 'a{}\n',
  });
  commit(TEST_AUTHORS.bobAlias, 'Fix a typo', { 'README.md': '# demo app\n' });
  commit(
    TEST_AUTHORS.ada,
    'Pair on the parser\n\nCo-authored-by: Carol Code <carol@kestrel.test>\nCo-authored-by: Bob <bob@laptop.local>',
    {
      'api/parser.py': 'def parse():\n    return 1\n',
    },
  );
  git(['checkout', '-q', '-b', 'feature']);
  commit(TEST_AUTHORS.carol, 'Feature work', { 'api/feature.go': 'package api\n' });
  fs.mkdirSync(path.join(dir, 'lib'));
  git(['mv', 'api/parser.py', 'lib/parser.py'], TEST_AUTHORS.carol);
  git(['commit', '-q', '-m', 'Move the parser'], TEST_AUTHORS.carol);
  git(['checkout', '-q', 'main']);
  commit(TEST_AUTHORS.dan, 'Contractor change', { 'docs/guide.md': 'hello\n' });
  git(['merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature'], TEST_AUTHORS.bob);
  commit(TEST_AUTHORS.bot, 'Bump a dependency', { 'package.json': '{"version":"2"}\n' });
  write('.mailmap', 'Bob Byte <bob@kestrel.test> <bob@laptop.local>\n');
  git(['add', '.mailmap']);
  git(['commit', '-q', '-m', 'Add a mailmap']);
  let extra = 0;
  return {
    dir,
    addCommit(message: string) {
      extra++;
      commit(TEST_AUTHORS.ada, message, { [`api/extra-${extra}.ts`]: `export const x = ${extra};\n` });
    },
    shortlog() {
      const out = execFileSync('git', ['shortlog', '-sne', 'HEAD'], { cwd: dir, encoding: 'utf8' });
      const map = new Map<string, number>();
      for (const line of out.split('\n')) {
        const m = /^\s*(\d+)\s+(.*?)\s+<([^>]+)>$/.exec(line);
        if (m) map.set(m[3]!.toLowerCase(), (map.get(m[3]!.toLowerCase()) ?? 0) + Number(m[1]));
      }
      return map;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Generates a repository of `commits` commits quickly with `git fast-import` (benchmarks, crash
 * tests): 12 authors (one committing under a .mailmap alias), 1–3 files per commit across areas
 * and languages, a co-author on every 7th commit. Deterministic.
 */
export function generateRepo(dir: string, commits: number): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const authors = Array.from({ length: 12 }, (_, i) => ({ name: `Dev ${i}`, email: `dev${i}@kestrel.test` }));
  const areas = ['api', 'web', 'lib', 'docs', 'infra', 'mobile'];
  const exts = ['ts', 'tsx', 'py', 'go', 'md', 'yml'];
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let t = Date.UTC(2024, 0, 1) / 1000;
  for (let i = 1; i <= commits; i++) {
    const a = authors[rand(authors.length)]!;
    const email = a.email === 'dev3@kestrel.test' && i % 2 ? 'dev3@old-laptop.local' : a.email;
    t += 600 + rand(7200);
    const co =
      i % 7 === 0
        ? `\n\nCo-authored-by: ${authors[(i + 1) % 12]!.name} <${authors[(i + 1) % 12]!.email}>`
        : '';
    chunks.push(
      `commit refs/heads/main\nmark :${i}\nauthor ${a.name} <${email}> ${t} +0000\ncommitter ${a.name} <${email}> ${t} +0000\n${data(`Change ${i}${co}`)}`,
    );
    if (i > 1) chunks.push(`from :${i - 1}\n`);
    if (i === 1)
      chunks.push(`M 100644 inline .mailmap\n${data('Dev 3 <dev3@kestrel.test> <dev3@old-laptop.local>\n')}`);
    const files = 1 + rand(3);
    for (let f = 0; f < files; f++) {
      const area = areas[rand(areas.length)]!;
      const file = `${area}/module${rand(40)}.${exts[rand(exts.length)]}`;
      chunks.push(`M 100644 inline ${file}\n${data(`line ${i}\n`.repeat(1 + rand(20)))}`);
    }
    chunks.push('\n');
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    input: chunks.join(''),
    maxBuffer: 1024 * 1024 * 1024,
  });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
}
