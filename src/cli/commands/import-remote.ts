import type { Command } from 'commander';
import { readGithubConfig, validateGithubConfig } from '../../modules/ingest/connectors/github.connector.js';
import { readJiraConfig, validateJiraConfig } from '../../modules/ingest/connectors/jira.connector.js';
import { withDatabaseOptions } from '../database-options.js';
import { runWorkImport, type WorkImportOptions } from './import-work.js';

/**
 * `cairn import github|jira …`: find-or-create the connection and run it with the same progress bar
 * and summary as every work-data import. A token given with --token is used for this run only
 * (it is handed to the connector through its environment variable, never stored).
 */

function fail(problems: { path: string; message: string }[], flags: Record<string, string>): never {
  throw new Error(problems.map((p) => `${flags[p.path] ?? p.path}: ${p.message}`).join('\n'));
}

export function registerRemoteImportCommands(command: Command): void {
  withDatabaseOptions(
    command
      .command('github')
      .description(
        'import pull requests, reviews, review comments, issues and issue comments of a GitHub repository',
      )
      .requiredOption('--repo <owner/name>', 'the repository, e.g. kestrel-labs/platform-api')
      .option('--token <token>', 'a token that can read the repository (default: $GITHUB_TOKEN)')
      .option('--api-url <url>', 'GitHub Enterprise Server API, e.g. https://ghe.example.com/api/v3')
      .option('--json', 'print one JSON summary object'),
  ).action(async (opts: WorkImportOptions & { repo: string; token?: string; apiUrl?: string }) => {
    const config = {
      repo: opts.repo,
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}),
      tokenEnv: 'GITHUB_TOKEN',
    };
    const problems = validateGithubConfig(config);
    if (problems.length) fail(problems, { 'config.repo': '--repo', 'config.apiUrl': '--api-url' });
    if (opts.token) process.env.GITHUB_TOKEN = opts.token;
    if (!process.env.GITHUB_TOKEN && !opts.json) {
      process.stderr.write(
        'No token (--token or GITHUB_TOKEN): only public repositories are readable, at 60 requests an hour.\n',
      );
    }
    await runWorkImport('github', `github ${readGithubConfig(config).repo}`, config, opts);
  });

  withDatabaseOptions(
    command
      .command('jira')
      .description('import issues with their changelogs, and sprints, of a Jira Cloud project')
      .requiredOption('--site <url>', 'your Jira Cloud site, e.g. https://acme.atlassian.net')
      .requiredOption('--project <key>', 'the project key, e.g. PLAT')
      .option('--email <email>', 'the Atlassian account the API token belongs to (default: $JIRA_EMAIL)')
      .option('--token <token>', 'an Atlassian API token (default: $JIRA_API_TOKEN)')
      .option('--story-points-field <id>', 'the custom field holding story points, e.g. customfield_10016')
      .option('--json', 'print one JSON summary object'),
  ).action(
    async (
      opts: WorkImportOptions & {
        site: string;
        project: string;
        email?: string;
        token?: string;
        storyPointsField?: string;
      },
    ) => {
      const config: Record<string, unknown> = {
        site: opts.site,
        project: opts.project,
        tokenEnv: 'JIRA_API_TOKEN',
        ...(opts.email ? { email: opts.email } : {}),
        ...(opts.storyPointsField ? { storyPointsField: opts.storyPointsField } : {}),
      };
      const problems = validateJiraConfig(config);
      if (problems.length) {
        fail(problems, {
          'config.site': '--site',
          'config.project': '--project',
          'config.storyPointsField': '--story-points-field',
        });
      }
      if (opts.token) process.env.JIRA_API_TOKEN = opts.token;
      const c = readJiraConfig(config);
      await runWorkImport('jira', `jira ${new URL(c.site).host} ${c.project}`, config, opts);
    },
  );
}
