import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGithubDataset, githubHandler, REPO } from '../github/github.fixtures.js';
import { buildJiraDataset, jiraHandler, PROJECT, STORY_POINTS_FIELD } from '../jira/jira.fixtures.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';

// The commands run as an operator runs them: a child process on an embedded data folder, talking
// to recorded-shape GitHub and Jira servers on 127.0.0.1.
const root = path.resolve(import.meta.dirname, '../../../..');
let dir: string;
let github: FixtureServer;
let jira: FixtureServer;

function cairn(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.CAIRN_DATA_DIR;
  delete childEnv.GITHUB_TOKEN;
  delete childEnv.JIRA_API_TOKEN;
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/cairn.js', ...args, '--data-dir', dir],
      { cwd: root, env: childEnv, timeout: 180_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-remote-'));
  const data = buildGithubDataset();
  github = await startFixtureServer(githubHandler(data, () => github.url, '/api/v3'));
  const jdata = buildJiraDataset(() => jira.url);
  jira = await startFixtureServer(jiraHandler(jdata));
});
afterAll(async () => {
  await github.close();
  await jira.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Child processes start tsx and open an embedded database each: slow on a busy machine.
describe('cairn import github | jira', { timeout: 240_000 }, () => {
  it('imports a repository with --json, through a 502 and a rate limit, then a second run changes nothing', async () => {
    github.queueFault(`/api/v3/repos/${REPO}/pulls`, { status: 502 });
    github.queueFault(`/api/v3/repos/${REPO}/issues`, {
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'secondary rate limit' },
    });
    const first = await cairn([
      'import',
      'github',
      '--repo',
      REPO,
      '--api-url',
      `${github.url}/api/v3`,
      '--token',
      'ghp_cli',
      '--json',
    ]);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(first.stdout) as Record<string, number | string>;
    expect(summary).toMatchObject({ connection: `github ${REPO}`, status: 'succeeded', rejected: 0 });
    expect(summary.created).toBeGreaterThan(20);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'read',
        'created',
        'updated',
        'unchanged',
        'rejected',
        'unmatched',
        'durationMs',
      ]),
    );

    const second = await cairn(
      ['import', 'github', '--repo', REPO, '--api-url', `${github.url}/api/v3`, '--json'],
      { GITHUB_TOKEN: 'ghp_env' },
    );
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'succeeded', created: 0, updated: 0 });
  });

  it('imports a Jira project and prints the summary line', async () => {
    const run = await cairn(
      [
        'import',
        'jira',
        '--site',
        jira.url,
        '--project',
        PROJECT,
        '--email',
        'dana@kestrel.example',
        '--story-points-field',
        STORY_POINTS_FIELD,
      ],
      { JIRA_API_TOKEN: 'jira-cli' },
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(`^jira 127\\.0\\.0\\.1:\\d+ ${PROJECT}: \\d+ read, 22 created, 0 updated`),
    );
  });

  it('bad flags and an unreachable server give clear errors and exit 1', async () => {
    const bad = await cairn(['import', 'github', '--repo', 'not-a-repo']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--repo: must be OWNER\/NAME/);
    const down = await cairn(
      ['import', 'jira', '--site', 'http://127.0.0.1:9', '--project', PROJECT, '--json'],
      { JIRA_API_TOKEN: 'x' },
    );
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/Jira could not be reached/),
    });
  });
});
