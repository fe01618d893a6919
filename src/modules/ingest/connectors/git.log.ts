import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

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

/** Yields commits oldest first (parents before children). */
export async function* streamCommits(
  repo: string,
  o: LogOptions,
  signal?: AbortSignal,
): AsyncGenerator<GitCommit> {
  const child = spawn('git', ['-C', repo, ...logArgs(o)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const abort = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', abort, { once: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d.slice(0, 4000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdout.setEncoding('utf8');
  let buffer = '';
  try {
    for await (const chunk of child.stdout as AsyncIterable<string>) {
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
  } finally {
    signal?.removeEventListener('abort', abort);
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0 && !signal?.aborted) throw new GitError(`git log failed (exit ${code}): ${stderr.trim()}`);
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
