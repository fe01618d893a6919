/**
 * The settings form of each remote connection kind, for the connections UI and API: one entry per
 * `config` key. Tokens are never stored in `config`; they come from the named environment variable
 * of the Cairn server (or the CLI's --token flag for one run).
 */
export interface ConnectionField {
  key: string;
  label: string;
  required: boolean;
  placeholder?: string;
  help: string;
}

export const GITHUB_CONFIG_FIELDS: readonly ConnectionField[] = [
  {
    key: 'repo',
    label: 'Repository',
    required: true,
    placeholder: 'OWNER/NAME',
    help: 'The repository to import, e.g. kestrel-labs/platform-api.',
  },
  {
    key: 'apiUrl',
    label: 'API URL',
    required: false,
    placeholder: 'https://api.github.com',
    help: 'For GitHub Enterprise Server: https://HOST/api/v3.',
  },
  {
    key: 'tokenEnv',
    label: 'Token variable',
    required: false,
    placeholder: 'GITHUB_TOKEN',
    help: 'Environment variable of the Cairn server holding a token that can read the repository.',
  },
];

export const JIRA_CONFIG_FIELDS: readonly ConnectionField[] = [
  {
    key: 'site',
    label: 'Site URL',
    required: true,
    placeholder: 'https://acme.atlassian.net',
    help: 'Your Jira Cloud site.',
  },
  {
    key: 'project',
    label: 'Project key',
    required: true,
    placeholder: 'PLAT',
    help: 'The project whose issues and sprints are imported.',
  },
  {
    key: 'email',
    label: 'Account e-mail',
    required: false,
    placeholder: 'you@example.com',
    help: 'The Atlassian account the API token belongs to (or JIRA_EMAIL).',
  },
  {
    key: 'storyPointsField',
    label: 'Story points field',
    required: false,
    placeholder: 'customfield_10016',
    help: 'The custom field holding story points on your site.',
  },
  {
    key: 'sprintField',
    label: 'Sprint field',
    required: false,
    placeholder: 'customfield_10020',
    help: "The custom field holding an issue's sprints.",
  },
  {
    key: 'tokenEnv',
    label: 'Token variable',
    required: false,
    placeholder: 'JIRA_API_TOKEN',
    help: 'Environment variable of the Cairn server holding the API token.',
  },
];
