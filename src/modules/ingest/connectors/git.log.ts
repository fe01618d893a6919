import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';

/**
 * Streams a repository's history out of `git log` and parses it commit by commit, so huge
 * repositories never sit in memory. Names and e-mails use the mailmap-aware `%aN`/`%aE`;
 * co-authors come from `Co-authored-by:` trailers (mapped through `git check-mailmap`); renames are
 * detected with `--find-renames`; merge commits are kept (marked `merge`).
 */

const run = promisify(execFile);
const RS = '\x1e';
const US = '\x1f';
const FORMAT = `${RS}%H${US}%P${US}%aN${US}%aE${US}%aI${US}%(trailers:key=Co-authored-by,valueonly,separator=%x1d)${US}%s${US}`;

export interface FileChange {
  path: string;
  /** Previous path when the file was renamed or moved. */
  from?: string;
  /** Null for binary files. */
  additions: number | null;
  deletions: number | null;
}

export interface GitCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: string;
  coAuthors: { name: string; email: string }[];
  subject: string;
  files: FileChange[];
}

export class GitError extends Error {}

async function git(repo: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Checks that `repo` is a git repository; returns its top-level folder. Clear errors otherwise. */
export async function openRepository(repo: string): Promise<string> {
  const abs = path.resolve(repo);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch {
    throw new GitError(`${repo}: no such folder.`);
  }
  if (!stat.isDirectory()) throw new GitError(`${repo}: is a file, not a git repository.`);
  try {
    return (await git(abs, ['rev-parse', '--show-toplevel'])).trim() || abs;
  } catch {
    // Bare repositories have no top level.
    try {
      const bare = (await git(abs, ['rev-parse', '--is-bare-repository'])).trim();
      if (bare === 'true') return abs;
    } catch {
      /* fall through */
    }
    throw new GitError(`${repo}: not a git repository (git rev-parse found no .git).`);
  }
}

/** The commit `rev` points at, or null when the repository has no commits yet. */
export async function resolveRevision(repo: string, rev = 'HEAD'): Promise<string | null> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

export async function isAncestor(repo: string, ancestor: string, of: string): Promise<boolean> {
  try {
    await git(repo, ['merge-base', '--is-ancestor', ancestor, of]);
    return true;
  } catch {
    return false;
  }
}

export interface LogOptions {
  /** Only commits reachable from `to` and not from `from`. */
  from?: string | null;
  to: string;
  since?: string | null;
}

function rangeArgs(o: LogOptions): string[] {
  const args = [o.from ? `${o.from}..${o.to}` : o.to];
  if (o.since) args.push(`--since=${o.since}`);
  return args;
}

export async function countCommits(repo: string, o: LogOptions): Promise<number> {
  return Number((await git(repo, ['rev-list', '--count', ...rangeArgs(o)])).trim()) || 0;
}

/** The raw `git log` arguments used, so benchmarks can compare against the same walk. */
export function logArgs(o: LogOptions): string[] {
  return [
    '-c',
    'core.quotepath=off',
    'log',
    '--topo-order',
    '--reverse',
    '-z',
    '--no-color',
    '--find-renames',
    '--numstat',
    '--use-mailmap',
    `--format=${FORMAT}`,
    ...rangeArgs(o),
    '--',
  ];
}

/** Output of `git log` read ahead of the caller before git is paused (bounds memory). */
const READ_AHEAD_CHARS = 32 * 1024 * 1024;

/**
 * Runs git in a worker thread that drains its output as fast as git writes it, whatever the caller's
 * thread is doing. The caller's own event loop reads a pipe only between tasks, and a database
 * statement running on it (the embedded one runs on the same thread) would leave git blocked on a
 * full pipe; from the worker, git runs alongside. Output arrives as coalesced chunks; the caller
 * acknowledges what it took, and the worker pauses git while more than READ_AHEAD_CHARS wait.
 * Plain JavaScript: a worker does not go through the TypeScript loader.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const child = spawn('git', workerData.args, { stdio: ['ignore', 'pipe', 'pipe'] });
let waiting = 0, paused = false, pending = [], scheduled = false, stderr = '';
const flush = () => {
  scheduled = false;
  if (pending.length) parentPort.postMessage({ type: 'data', chunk: pending.join('') });
  pending = [];
};
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  pending.push(chunk);
  waiting += chunk.length;
  if (waiting > workerData.limit && !paused) { paused = true; child.stdout.pause(); }
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
child.stderr.setEncoding('utf8');
child.stderr.on('data', (d) => { if (stderr.length < 4000) stderr += d.slice(0, 4000); });
let finished = false;
const finish = (code, text) => {
  if (finished) return;
  finished = true;
  flush();
  parentPort.postMessage({ type: 'close', code, stderr: text });
  parentPort.close();
};
child.on('error', (e) => finish(null, e.message));
child.on('close', (code) => finish(code, stderr));
parentPort.on('message', (m) => {
  if (m.type === 'ack') {
    waiting -= m.n;
    if (paused && waiting < workerData.limit / 2) { paused = false; child.stdout.resume(); }
  } else if (m.type === 'kill') child.kill('SIGTERM');
});
`;

/** Yields a git command's output in chunks (read by a worker thread, see READER); throws when git fails. */
async function* gitOutput(args: string[], what: string, signal?: AbortSignal): AsyncGenerator<string> {
  const worker = new Worker(READER, { eval: true, workerData: { args, limit: READ_AHEAD_CHARS } });
  const queue: string[] = [];
  let closed: { code: number | null; stderr: string } | null = null;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on(
    'message',
    (m: { type: 'data'; chunk: string } | { type: 'close'; code: number | null; stderr: string }) => {
      if (m.type === 'data') queue.push(m.chunk);
      else closed = { code: m.code, stderr: m.stderr };
      notify();
    },
  );
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    if (!closed && !failure) failure = new GitError(`${what}: the reader stopped before git finished`);
    notify();
  });
  const abort = () => worker.postMessage({ type: 'kill' });
  signal?.addEventListener('abort', abort, { once: true });
  let done = false;
  try {
    for (;;) {
      if (queue.length) {
        const text = queue.length === 1 ? queue[0]! : queue.join('');
        queue.length = 0;
        worker.postMessage({ type: 'ack', n: text.length });
        yield text;
        continue;
      }
      if (failure) throw failure;
      if (closed) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    done = true;
  } finally {
    signal?.removeEventListener('abort', abort);
    if (!done && !closed) worker.postMessage({ type: 'kill' });
  }
  const { code, stderr } = closed as { code: number | null; stderr: string };
  if (code !== 0 && !signal?.aborted) throw new GitError(`${what} failed (exit ${code}): ${stderr.trim()}`);
}

/** Yields commits oldest first (parents before children). */
export async function* streamCommits(
  repo: string,
  o: LogOptions,
  signal?: AbortSignal,
): AsyncGenerator<GitCommit> {
  let buffer = '';
  for await (const chunk of gitOutput(['-C', repo, ...logArgs(o)], 'git log', signal)) {
    buffer += chunk;
    let start = buffer.indexOf(RS);
    let next = start >= 0 ? buffer.indexOf(RS, start + 1) : -1;
    while (start >= 0 && next >= 0) {
      yield parseRecord(buffer.slice(start + 1, next));
      start = next;
      next = buffer.indexOf(RS, start + 1);
    }
    buffer = start >= 0 ? buffer.slice(start) : buffer;
  }
  if (buffer.startsWith(RS)) yield parseRecord(buffer.slice(1));
}

function parseRecord(record: string): GitCommit {
  const parts = record.split(US);
  // sha, parents, name, email, date, trailers, subject, then the numstat section.
  const [
    sha = '',
    parents = '',
    authorName = '',
    authorEmail = '',
    authoredAt = '',
    trailers = '',
    subject = '',
  ] = parts;
  const stat = parts.slice(7).join(US);
  return {
    sha,
    parents: parents ? parents.split(' ') : [],
    authorName,
    authorEmail,
    authoredAt,
    coAuthors: parseCoAuthors(trailers),
    subject,
    files: parseNumstat(stat),
  };
}

function parseCoAuthors(trailers: string): { name: string; email: string }[] {
  const out: { name: string; email: string }[] = [];
  for (const value of trailers.split('\x1d')) {
    const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
    if (m) out.push({ name: m[1] ?? '', email: m[2]! });
  }
  return out;
}

function parseNumstat(stat: string): FileChange[] {
  // With -z each file is `added\tdeleted\tpath\0`, a rename `added\tdeleted\t\0from\0to\0`;
  // binary files count `-`. Parsed with indexOf (no regular expression per file: large histories).
  const tokens = stat.split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    if (token.charCodeAt(0) === 10) token = token.replace(/^\n+/, '');
    if (!token) continue;
    const tab1 = token.indexOf('\t');
    const tab2 = tab1 < 0 ? -1 : token.indexOf('\t', tab1 + 1);
    if (tab2 < 0) continue;
    const a = token.slice(0, tab1);
    const d = token.slice(tab1 + 1, tab2);
    if (!isCount(a) || !isCount(d)) continue;
    const additions = a === '-' ? null : Number(a);
    const deletions = d === '-' ? null : Number(d);
    const file = token.slice(tab2 + 1);
    if (file) files.push({ path: file, additions, deletions });
    else {
      const from = tokens[++i] ?? '';
      const to = tokens[++i] ?? '';
      files.push({ path: to, from, additions, deletions });
    }
  }
  return files;
}

/** `-` or decimal digits. */
function isCount(text: string): boolean {
  if (text === '-') return true;
  if (!text.length) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Maps `Name <email>` contacts through the repository's .mailmap (`git check-mailmap`). */
export async function applyMailmap(
  repo: string,
  contacts: { name: string; email: string }[],
): Promise<Map<string, { name: string; email: string }>> {
  const out = new Map<string, { name: string; email: string }>();
  const unique = [...new Map(contacts.map((c) => [`${c.name} <${c.email}>`, c])).keys()];
  for (let i = 0; i < unique.length; i += 200) {
    const chunk = unique.slice(i, i + 200);
    let lines: string[];
    try {
      lines = (await git(repo, ['check-mailmap', ...chunk])).split('\n');
    } catch {
      lines = chunk;
    }
    chunk.forEach((contact, j) => {
      const m = /^(.*?)\s*<([^>]*)>$/.exec(lines[j] ?? contact);
      out.set(contact, m ? { name: m[1] ?? '', email: m[2] ?? '' } : { name: '', email: '' });
    });
  }
  return out;
}

const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  py: 'Python',
  rb: 'Ruby',
  go: 'Go',
  rs: 'Rust',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  scala: 'Scala',
  swift: 'Swift',
  m: 'Objective-C',
  c: 'C',
  h: 'C',
  cc: 'C++',
  cpp: 'C++',
  cxx: 'C++',
  hpp: 'C++',
  cs: 'C#',
  fs: 'F#',
  php: 'PHP',
  ex: 'Elixir',
  exs: 'Elixir',
  erl: 'Erlang',
  hs: 'Haskell',
  clj: 'Clojure',
  dart: 'Dart',
  lua: 'Lua',
  r: 'R',
  jl: 'Julia',
  sql: 'SQL',
  sh: 'Shell',
  bash: 'Shell',
  zsh: 'Shell',
  ps1: 'PowerShell',
  html: 'HTML',
  css: 'CSS',
  scss: 'CSS',
  sass: 'CSS',
  less: 'CSS',
  vue: 'Vue',
  svelte: 'Svelte',
  md: 'Markdown',
  mdx: 'Markdown',
  rst: 'reStructuredText',
  yml: 'YAML',
  yaml: 'YAML',
  json: 'JSON',
  toml: 'TOML',
  xml: 'XML',
  tf: 'Terraform',
  proto: 'Protobuf',
  graphql: 'GraphQL',
  gql: 'GraphQL',
};
const FILE_LANGUAGES: Record<string, string> = { dockerfile: 'Dockerfile', makefile: 'Makefile' };

/** A file's language by extension (or well-known name), or null. */
export function languageOf(file: string): string | null {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  if (FILE_LANGUAGES[base]) return FILE_LANGUAGES[base];
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return LANGUAGES[base.slice(dot + 1)] ?? null;
}

/** A file's area: its top-level directory, or "(root)" for files at the top. */
export function areaOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '(root)' : file.slice(0, slash);
}
