import type { FieldProblem } from '../../../shared/app-error.js';
import { jiraBackfill, type JiraCursor } from '../jira/jira.backfill.js';
import { JiraClient } from '../jira/jira.client.js';
import { registerConnector, type ConnectorRunContext } from '../ingest.connectors.js';
import { clientDefaults } from '../remote/http-client.js';
import { toBatch } from '../remote/to-batch.js';

/**
 * The Jira Cloud connector: sprints of the project's scrum boards and issues with full changelogs,
 * incremental by `updated`. Config `{ site, project, email?, storyPointsField?, sprintField?,
 * tokenEnv? }`; the API token comes from the environment variable (default JIRA_API_TOKEN), the
 * e-mail from config or JIRA_EMAIL. Webhook deliveries arrive at /hooks/jira/:connectionId.
 */

export interface JiraConfig {
  site: string;
  project: string;
  email?: string;
  storyPointsField?: string;
  sprintField?: string;
  tokenEnv: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function readJiraConfig(config: Record<string, unknown>): JiraConfig {
  const out: JiraConfig = {
    site: (text(config.site) ?? '').replace(/\/+$/, ''),
    project: text(config.project) ?? '',
    tokenEnv: text(config.tokenEnv) ?? 'JIRA_API_TOKEN',
  };
  const email = text(config.email);
  const points = text(config.storyPointsField);
  const sprint = text(config.sprintField);
  if (email) out.email = email;
  if (points) out.storyPointsField = points;
  if (sprint) out.sprintField = sprint;
  return out;
}

export function validateJiraConfig(config: Record<string, unknown>): FieldProblem[] {
  const c = readJiraConfig(config);
  const problems: FieldProblem[] = [];
  if (!/^https?:\/\/[^\s/]+/.test(c.site))
    problems.push({ path: 'config.site', message: 'must be your site URL, e.g. https://acme.atlassian.net' });
  if (!/^[A-Z][A-Z0-9_]+$/.test(c.project))
    problems.push({ path: 'config.project', message: 'must be a project key such as PLAT' });
  for (const f of ['storyPointsField', 'sprintField'] as const) {
    const v = c[f];
    if (v && !/^customfield_\d+$/.test(v))
      problems.push({ path: `config.${f}`, message: 'must be a custom field id such as customfield_10016' });
  }
  return problems;
}

export function jiraClientFor(config: JiraConfig): JiraClient {
  return new JiraClient({
    ...clientDefaults,
    site: config.site,
    email: config.email ?? process.env.JIRA_EMAIL,
    token: process.env[config.tokenEnv],
  });
}

async function runJira(ctx: ConnectorRunContext): Promise<void> {
  const problems = validateJiraConfig(ctx.connection.config);
  if (problems.length)
    throw new Error(
      `Jira connection ${ctx.connection.name}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    );
  const config = readJiraConfig(ctx.connection.config);
  let done = 0;
  const client = jiraClientFor(config);
  const batches = jiraBackfill(
    client,
    { project: config.project, storyPointsField: config.storyPointsField, sprintField: config.sprintField },
    (ctx.connection.cursor ?? {}) as JiraCursor,
  );
  for await (const b of batches) {
    if (ctx.signal.aborted)
      throw new Error('The import was stopped; run it again to continue from where it stopped.');
    done += b.read;
    await ctx.ingest(toBatch('jira', b.draft, { raw: b.raw, rejected: b.rejected, cursor: b.cursor }), {
      done,
      message: b.label,
    });
  }
}

registerConnector('jira', {
  validateConfig: validateJiraConfig,
  async test(_db, connection) {
    const config = readJiraConfig(connection.config);
    try {
      const me = await jiraClientFor(config).myself();
      const boards = await jiraClientFor(config).boards(config.project);
      return {
        ok: true,
        message: `Signed in to ${config.site} as ${me.displayName ?? me.accountId}; project ${config.project} has ${boards.length} board${boards.length === 1 ? '' : 's'}.`,
      };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  run: runJira,
});
