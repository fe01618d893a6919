import type { FieldProblem } from '../../../shared/app-error.js';
import { githubBackfill, type GithubCursor } from '../github/github.backfill.js';
import { GithubClient } from '../github/github.client.js';
import { registerConnector, type ConnectorRunContext } from '../ingest.connectors.js';
import { clientDefaults } from '../remote/http-client.js';
import { toBatch } from '../remote/to-batch.js';

/**
 * The GitHub connector: REST backfill of one repository (pull requests with commits, files and
 * reviews; review comments; issues; issue comments), incremental by the cursor in github.backfill.ts.
 * Config `{ repo, apiUrl?, tokenEnv? }`; the token is read from the environment variable (default
 * GITHUB_TOKEN). Webhook deliveries for the connection arrive at /hooks/github/:connectionId.
 */

export interface GithubConfig {
  repo: string;
  apiUrl?: string;
  tokenEnv: string;
}

export function readGithubConfig(config: Record<string, unknown>): GithubConfig {
  return {
    repo: String(config.repo ?? '').trim(),
    ...(typeof config.apiUrl === 'string' && config.apiUrl.trim() ? { apiUrl: config.apiUrl.trim() } : {}),
    tokenEnv:
      typeof config.tokenEnv === 'string' && config.tokenEnv.trim() ? config.tokenEnv.trim() : 'GITHUB_TOKEN',
  };
}

export function validateGithubConfig(config: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const c = readGithubConfig(config);
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(c.repo))
    problems.push({ path: 'config.repo', message: 'must be OWNER/NAME, e.g. kestrel-labs/platform-api' });
  if (c.apiUrl && !/^https?:\/\/[^\s]+$/.test(c.apiUrl))
    problems.push({ path: 'config.apiUrl', message: 'must be a URL such as https://ghe.example.com/api/v3' });
  if (!/^[A-Z_][A-Z0-9_]*$/i.test(c.tokenEnv))
    problems.push({ path: 'config.tokenEnv', message: 'must be an environment variable name' });
  return problems;
}

export function githubClientFor(config: GithubConfig, onNotice?: (m: string) => void): GithubClient {
  return new GithubClient({
    ...clientDefaults,
    token: process.env[config.tokenEnv],
    apiUrl: config.apiUrl,
    ...(onNotice ? { onNotice } : {}),
  });
}

async function runGithub(ctx: ConnectorRunContext): Promise<void> {
  const config = readGithubConfig(ctx.connection.config);
  const problems = validateGithubConfig(ctx.connection.config);
  if (problems.length)
    throw new Error(
      `GitHub connection ${ctx.connection.name}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    );
  let done = 0;
  const client = githubClientFor(config, (message) => ctx.progress({ done, message }));
  const cursor = (ctx.connection.cursor ?? {}) as GithubCursor;
  for await (const b of githubBackfill(client, config.repo, cursor)) {
    if (ctx.signal.aborted)
      throw new Error('The import was stopped; run it again to continue from where it stopped.');
    done += b.read;
    await ctx.ingest(toBatch('github', b.draft, { raw: b.raw, rejected: b.rejected, cursor: b.cursor }), {
      done,
      message: b.label,
    });
  }
}

registerConnector('github', {
  validateConfig: validateGithubConfig,
  async test(_db, connection) {
    const config = readGithubConfig(connection.config);
    try {
      const repo = await githubClientFor(config).getRepository(config.repo);
      const token = process.env[config.tokenEnv]
        ? `with the token in ${config.tokenEnv}`
        : `without a token (${config.tokenEnv} is not set)`;
      return { ok: true, message: `${repo.full_name} is readable ${token}.` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  run: runGithub,
});
