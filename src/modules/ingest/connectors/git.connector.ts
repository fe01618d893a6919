import path from 'node:path';
import type { FieldProblem } from '../../../shared/app-error.js';
import { registerConnector, type ConnectorRunContext } from '../ingest.connectors.js';
import type { NormalisedEvent } from '../ingest.model.js';
import {
  applyMailmap,
  areaOf,
  countCommits,
  isAncestor,
  languageOf,
  openRepository,
  resolveRevision,
  streamCommits,
  type GitCommit,
} from './git.log.js';

/**
 * The git connector: a local repository's history. Config `{ path, project?, since?, ref? }`;
 * cursor `{ commit }` — the last commit imported (batches commit it as they go, so a crashed run
 * continues after the last committed batch; a history rewrite that drops it re-imports in full,
 * which changes nothing for commits already there).
 *
 * Events (source 'git'): `commit` per commit (authored by the mailmapped author; merges included
 * and marked, as `git shortlog` counts them) with `{ sha, parents, merge, subject, additions,
 * deletions, files, areas, languages, renames, paths }`, and `commit_coauthored` per
 * `Co-authored-by:` trailer.
 */

/** Commits per batch (one transaction each); CAIRN_GIT_BATCH_SIZE overrides it (crash tests use small batches). */
export const GIT_BATCH_SIZE = Number(process.env.CAIRN_GIT_BATCH_SIZE) || 1000;
const MAX_PATHS = 50;

export interface GitConfig {
  path: string;
  project?: string;
  since?: string;
  ref?: string;
}

function readConfig(config: Record<string, unknown>): GitConfig {
  return {
    path: String(config.path ?? ''),
    ...(typeof config.project === 'string' && config.project ? { project: config.project } : {}),
    ...(typeof config.since === 'string' && config.since ? { since: config.since } : {}),
    ...(typeof config.ref === 'string' && config.ref ? { ref: config.ref } : {}),
  };
}

export function validateGitConfig(config: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof config.path !== 'string' || !config.path.trim())
    problems.push({ path: 'config.path', message: 'is required: the folder of a local git repository' });
  if (config.since !== undefined && config.since !== null && config.since !== '') {
    if (typeof config.since !== 'string' || Number.isNaN(new Date(config.since).getTime()))
      problems.push({ path: 'config.since', message: 'must be a date, e.g. 2025-01-01' });
  }
  return problems;
}

/** Turns one parsed commit into its events. `mailmap` maps co-author contacts. */
export function commitEvents(
  commit: GitCommit,
  project: string,
  mailmap: Map<string, { name: string; email: string }>,
): NormalisedEvent[] {
  let additions = 0;
  let deletions = 0;
  const areas = new Set<string>();
  const languages: Record<string, number> = {};
  let renames = 0;
  for (const f of commit.files) {
    additions += f.additions ?? 0;
    deletions += f.deletions ?? 0;
    areas.add(areaOf(f.path));
    if (f.from !== undefined) renames++;
    const lang = languageOf(f.path);
    if (lang) languages[lang] = (languages[lang] ?? 0) + (f.additions ?? 0) + (f.deletions ?? 0);
  }
  const attributes = {
    sha: commit.sha,
    parents: commit.parents,
    merge: commit.parents.length > 1,
    subject: commit.subject.slice(0, 200),
    additions,
    deletions,
    files: commit.files.length,
    areas: [...areas].sort(),
    languages,
    renames,
    paths: commit.files.slice(0, MAX_PATHS).map((f) => f.path),
  };
  const email = commit.authorEmail.trim();
  const events: NormalisedEvent[] = [
    {
      sourceId: commit.sha,
      kind: 'commit',
      occurredAt: commit.authoredAt,
      actor: email ? { source: 'git', externalId: email, email, name: commit.authorName } : null,
      project,
      attributes,
    },
  ];
  const seen = new Set([email.toLowerCase()]);
  for (const co of commit.coAuthors) {
    const mapped = mailmap.get(`${co.name} <${co.email}>`) ?? co;
    const coEmail = mapped.email.trim();
    if (!coEmail || seen.has(coEmail.toLowerCase())) continue;
    seen.add(coEmail.toLowerCase());
    events.push({
      sourceId: `${commit.sha}/co/${coEmail.toLowerCase()}`,
      kind: 'commit_coauthored',
      occurredAt: commit.authoredAt,
      actor: { source: 'git', externalId: coEmail, email: coEmail, name: mapped.name || co.name },
      project,
      attributes: { sha: commit.sha, additions, deletions, areas: attributes.areas, languages },
    });
  }
  return events;
}

async function runGit(ctx: ConnectorRunContext): Promise<void> {
  const config = readConfig(ctx.connection.config);
  const repo = await openRepository(config.path);
  const project = config.project ?? path.basename(repo);
  const target = await resolveRevision(repo, config.ref ?? 'HEAD');
  if (!target) {
    ctx.progress({ done: 0, total: 0, message: 'the repository has no commits' });
    return;
  }
  let from = typeof ctx.connection.cursor.commit === 'string' ? ctx.connection.cursor.commit : null;
  if (
    from &&
    (from === target || !(await resolveRevision(repo, from)) || !(await isAncestor(repo, from, target)))
  ) {
    if (from === target) {
      ctx.progress({ done: 0, total: 0, message: 'up to date' });
      return;
    }
    from = null; // history rewritten: re-import everything (idempotent)
  }
  const range = { from, to: target, since: config.since ?? null };
  // Counted alongside the walk (git log waits for the whole topological order before its first
  // commit anyway): the progress total arrives with the first batches instead of before them.
  let total: number | undefined;
  let done = 0;
  const counted = countCommits(repo, range).then((n) => {
    total = n;
    ctx.progress({ done, total, message: `${project}: ${total} commits` });
  });
  counted.catch(() => undefined);
  // Batches commit in order, one transaction each; while one is being written, the next is read
  // (by a worker thread, see streamCommits) and parsed, so git, parsing and the database work at
  // the same time.
  let pending: GitCommit[] = [];
  let inFlight: Promise<unknown> | null = null;
  const mailmap = new Map<string, { name: string; email: string }>();
  const flush = async (last: boolean) => {
    const commits = pending;
    pending = [];
    if (!commits.length && !last) return;
    // Co-authors repeat: each distinct contact goes through `git check-mailmap` once per run.
    const unseen = commits.flatMap((c) => c.coAuthors).filter((c) => !mailmap.has(`${c.name} <${c.email}>`));
    if (unseen.length) for (const [k, v] of await applyMailmap(repo, unseen)) mailmap.set(k, v);
    const events = commits.flatMap((c) => commitEvents(c, project, mailmap));
    done += commits.length;
    const tail = commits.at(-1)?.sha;
    const progress = { done, total, message: project };
    if (inFlight) await inFlight;
    const written = ctx.ingest(
      { source: 'git', events, cursor: last ? { commit: target } : { commit: tail ?? from } },
      progress,
    );
    // Awaited before the next batch (or at the end); the handler only keeps Node from calling it unhandled meanwhile.
    written.catch(() => undefined);
    inFlight = written;
  };
  try {
    for await (const commit of streamCommits(repo, range, ctx.signal)) {
      pending.push(commit);
      if (pending.length >= GIT_BATCH_SIZE) await flush(false);
      if (ctx.signal.aborted) throw new Error('stopped');
    }
    // Stopped while waiting for git: git was killed and its output ended early — not the end of history.
    if (ctx.signal.aborted) throw new Error('stopped');
    await counted;
    await flush(true);
  } finally {
    // Never leave a batch half-way when the run ends (an error, or stopped): it commits or fails first.
    const last = inFlight as Promise<unknown> | null;
    if (last) await last.catch(() => undefined);
  }
  if (inFlight) await inFlight;
}

registerConnector('git', {
  validateConfig: validateGitConfig,
  async test(_db, connection) {
    const config = readConfig(connection.config);
    try {
      const repo = await openRepository(config.path);
      const head = await resolveRevision(repo, config.ref ?? 'HEAD');
      if (!head) return { ok: true, message: `${repo} is a git repository with no commits yet.` };
      const n = await countCommits(repo, { to: head, since: config.since ?? null });
      return {
        ok: true,
        message: `${repo}: ${n} commits reachable from ${config.ref ?? 'HEAD'} (${head.slice(0, 10)}).`,
      };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  run: runGit,
});
