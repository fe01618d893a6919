import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Pagination,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconPlugConnected, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { api, ApiError, describeError } from '../../api/client.js';
import {
  useConnections,
  useCreateConnection,
  useDeleteConnection,
  useIdentities,
  useIdentityAction,
  useQuarantine,
  useQuarantineAction,
  useRunNow,
  useRuns,
  useTestConnection,
  type ConnectionKind,
  type ConnectionView,
  type IdentityView,
} from '../../api/ingest.js';
import { usePeopleSearch } from '../../api/org.js';
import { formatDateTime } from '../../components/dates.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

const PAGE = 25;

/** Work data (admin): connections and their runs, the identity review queue, and quarantine. */
export function ConnectorsPage() {
  const [tab, setTab] = useState<string | null>('connections');
  return (
    <Stack>
      <PageTitle
        title="Work data"
        description="Connections to git, GitHub, Jira and business-metric files. Every import is incremental and idempotent; identities that match nobody wait for you in the review queue, and rejected records in quarantine."
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="connections">Connections</Tabs.Tab>
          <Tabs.Tab value="identities">Identity review</Tabs.Tab>
          <Tabs.Tab value="quarantine">Quarantine</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="connections" pt="md">
          <ConnectionsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="identities" pt="md">
          <IdentitiesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="quarantine" pt="md">
          <QuarantinePanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const STATUS_COLOR: Record<string, string> = {
  succeeded: 'green',
  failed: 'red',
  running: 'blue',
  queued: 'blue',
  idle: 'gray',
  disabled: 'gray',
};

function ConnectionsPanel() {
  const connections = useConnections();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  if (connections.isPending) return <Loading />;
  if (connections.isError) return <ErrorNotice error={connections.error} title="Cannot load connections" />;
  const items = connections.data.items;
  return (
    <Stack>
      <Group>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New connection
        </Button>
      </Group>
      {items.length === 0 ? (
        <Text c="dimmed">No connections yet. Create one to import work data.</Text>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" fz="sm" data-testid="connections-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Connection</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last run</Table.Th>
                  <Table.Th>Cursor</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <ConnectionRow key={c.id} connection={c} onShowRuns={() => setSelected(c.id)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New connection" size="lg">
        <CreateConnectionForm onDone={() => setCreating(false)} />
      </Modal>
      <Modal opened={!!selected} onClose={() => setSelected(null)} title="Runs" size="xl">
        {selected ? <RunsTable connectionId={selected} /> : null}
      </Modal>
    </Stack>
  );
}

function ConnectionRow({
  connection: c,
  onShowRuns,
}: {
  connection: ConnectionView;
  onShowRuns: () => void;
}) {
  const run = useRunNow();
  const test = useTestConnection();
  const remove = useDeleteConnection();
  const last = c.lastRun;
  const progress = last?.progress as { done?: number; total?: number | null; message?: string } | undefined;
  const active = c.status === 'queued' || c.status === 'running';
  const pct = progress?.total
    ? Math.min(100, ((progress.done ?? 0) / progress.total) * 100)
    : active
      ? 100
      : 0;
  return (
    <Table.Tr data-testid={`connection-${c.name}`}>
      <Table.Td>
        <Group gap="xs">
          <IconPlugConnected size={16} />
          <Text fw={500} size="sm">
            {c.name}
          </Text>
          <Badge variant="light" size="sm">
            {c.kind}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {Object.entries(c.config)
            .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(' · ')}
        </Text>
        {c.webhookPath ? (
          <Text size="xs" c="dimmed">
            Webhook: <Code>{c.webhookPath}</Code>
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[c.status] ?? 'gray'} data-testid="connection-status">
          {c.status}
        </Badge>
        {active ? <Progress value={pct} animated mt={6} w={140} aria-label="Run progress" /> : null}
        {c.lastError ? (
          <Text size="xs" c="red" maw={280} mt={4}>
            {c.lastError}
          </Text>
        ) : null}
        {c.pendingQuarantine ? (
          <Text size="xs" c="orange" mt={4}>
            {c.pendingQuarantine} in quarantine
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {last ? (
          <Stack gap={2}>
            <Text size="sm">{formatDateTime(last.finishedAt ?? last.startedAt ?? last.queuedAt)}</Text>
            <Text size="xs" c="dimmed" data-testid="last-run-counts">
              {last.read} read · {last.created} created · {last.updated} updated · {last.unchanged} unchanged
              · {last.rejected} rejected · {last.unmatched} unmatched
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Code fz="xs">{Object.keys(c.cursor).length ? JSON.stringify(c.cursor).slice(0, 60) : '—'}</Code>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            leftSection={<IconPlayerPlay size={14} />}
            loading={run.isPending}
            disabled={active}
            onClick={() =>
              run.mutate(c.id, {
                onError: (e) =>
                  notifications.show({ color: 'red', title: 'Cannot run', message: describeError(e) }),
              })
            }
          >
            Run now
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={test.isPending}
            onClick={() =>
              test.mutate(c.id, {
                onSuccess: (r) =>
                  notifications.show({
                    color: r.ok ? 'green' : 'red',
                    title: r.ok ? 'Connection works' : 'Test failed',
                    message: r.message,
                  }),
                onError: (e) =>
                  notifications.show({ color: 'red', title: 'Test failed', message: describeError(e) }),
              })
            }
          >
            Test
          </Button>
          <Button size="xs" variant="subtle" onClick={onShowRuns}>
            Runs
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => {
              if (window.confirm(`Delete ${c.name}? Imported work data stays.`)) remove.mutate(c.id);
            }}
          >
            Delete
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function RunsTable({ connectionId }: { connectionId: string }) {
  const runs = useRuns(connectionId);
  if (runs.isPending) return <Loading />;
  if (runs.isError) return <ErrorNotice error={runs.error} />;
  if (!runs.data.items.length) return <Text c="dimmed">No runs yet.</Text>;
  return (
    <Table fz="sm" data-testid="runs-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Started</Table.Th>
          <Table.Th>Trigger</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Counts</Table.Th>
          <Table.Th>Error</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.data.items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>{formatDateTime(r.startedAt ?? r.queuedAt)}</Table.Td>
            <Table.Td>{r.trigger}</Table.Td>
            <Table.Td>
              <Badge color={STATUS_COLOR[r.status] ?? 'gray'}>{r.status}</Badge>
            </Table.Td>
            <Table.Td>
              {r.read} read, {r.created} created, {r.updated} updated, {r.unchanged} unchanged, {r.rejected}{' '}
              rejected, {r.unmatched} unmatched
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="red">
                {r.error ?? ''}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const KIND_FIELDS: Record<
  ConnectionKind,
  { key: string; label: string; description?: string; required?: boolean; secret?: boolean }[]
> = {
  git: [
    {
      key: 'path',
      label: 'Repository folder',
      description: 'A local git repository on the server',
      required: true,
    },
    { key: 'project', label: 'Project name', description: 'Defaults to the folder name' },
    { key: 'since', label: 'Since', description: 'Only commits after this date, e.g. 2025-01-01' },
  ],
  metrics: [
    {
      key: 'file',
      label: 'Metrics file',
      description: 'A .csv or .json file on the server (see docs/ingest.md)',
      required: true,
    },
  ],
  github: [
    { key: 'repo', label: 'Repository', description: 'OWNER/NAME', required: true },
    { key: 'token', label: 'Token', secret: true },
    { key: 'apiUrl', label: 'API URL', description: 'For GitHub Enterprise; default https://api.github.com' },
  ],
  jira: [
    { key: 'site', label: 'Site URL', description: 'https://your-site.atlassian.net', required: true },
    { key: 'project', label: 'Project key', required: true },
    { key: 'email', label: 'E-mail' },
    { key: 'token', label: 'API token', secret: true },
    { key: 'storyPointsField', label: 'Story points field', description: 'e.g. customfield_10016' },
  ],
};

function CreateConnectionForm({ onDone }: { onDone: () => void }) {
  const create = useCreateConnection();
  const [kind, setKind] = useState<ConnectionKind>('git');
  const [name, setName] = useState('');
  const [config, setConfig] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : {};
  if (secret) {
    return (
      <Stack>
        <Alert color="green" title="Connection created">
          Give the source this webhook secret now; it is not shown again.
        </Alert>
        <Code block>{secret}</Code>
        <Button onClick={onDone}>Done</Button>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const cleaned = Object.fromEntries(Object.entries(config).filter(([, v]) => v.trim() !== ''));
        create.mutate(
          { kind, name, config: cleaned, ...(kind === 'github' || kind === 'jira' ? { secret: true } : {}) },
          {
            onSuccess: (c) => {
              notifications.show({ color: 'green', message: `Created ${c.name}.` });
              if (c.secret) setSecret(c.secret);
              else onDone();
            },
          },
        );
      }}
    >
      <Stack>
        <Select
          label="Kind"
          data={[
            { value: 'git', label: 'git repository' },
            { value: 'github', label: 'GitHub' },
            { value: 'jira', label: 'Jira Cloud' },
            { value: 'metrics', label: 'Business metrics file' },
          ]}
          value={kind}
          onChange={(v) => {
            setKind((v as ConnectionKind) ?? 'git');
            setConfig({});
          }}
          allowDeselect={false}
        />
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
        />
        {KIND_FIELDS[kind].map((f) => (
          <TextInput
            key={f.key}
            label={f.label}
            description={f.description}
            required={f.required}
            type={f.secret ? 'password' : 'text'}
            value={config[f.key] ?? ''}
            onChange={(e) => setConfig({ ...config, [f.key]: e.currentTarget.value })}
            error={errors.config}
          />
        ))}
        {create.error ? <ErrorNotice error={create.error} title="Cannot create the connection" /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function IdentitiesPanel() {
  const [status, setStatus] = useState('unmatched');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const identities = useIdentities(status, q, (page - 1) * PAGE);
  return (
    <Stack>
      <Group align="flex-end">
        <SegmentedControl
          aria-label="Identities"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          data={[
            { value: 'unmatched', label: 'Unmatched' },
            { value: 'matched', label: 'Matched' },
            { value: 'bot', label: 'Bots' },
            { value: 'all', label: 'All' },
          ]}
        />
        <TextInput
          placeholder="E-mail, login or name"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
          aria-label="Search identities"
        />
      </Group>
      {identities.isPending ? (
        <Loading />
      ) : identities.isError ? (
        <ErrorNotice error={identities.error} />
      ) : identities.data.items.length === 0 ? (
        <Text c="dimmed">
          {status === 'unmatched'
            ? 'Every identity is mapped to a person or marked as a bot.'
            : 'No identities.'}
        </Text>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table fz="sm" verticalSpacing="sm" data-testid="identities-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Identity</Table.Th>
                  <Table.Th>Events</Table.Th>
                  <Table.Th>Person</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {identities.data.items.map((i) => (
                  <IdentityRow key={i.id} identity={i} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {identities.data && identities.data.total > PAGE ? (
        <Pagination total={Math.ceil(identities.data.total / PAGE)} value={page} onChange={setPage} />
      ) : null}
    </Stack>
  );
}

function IdentityRow({ identity: i }: { identity: IdentityView }) {
  const action = useIdentityAction();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const people = usePeopleSearch(q, q.length > 1);
  const options = (people.data?.pages.flatMap((p) => p.items) ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} · ${p.email}`,
  }));
  const onError = (e: unknown) =>
    notifications.show({ color: 'red', title: 'Cannot change the identity', message: describeError(e) });
  return (
    <Table.Tr data-testid={`identity-${i.externalId}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {i.displayName ?? i.login ?? i.email ?? i.externalId}
        </Text>
        <Text size="xs" c="dimmed">
          {i.source} · {i.login ? `${i.login} · ` : ''}
          {i.email ?? i.externalId}
        </Text>
      </Table.Td>
      <Table.Td>
        {i.eventCount}
        {i.lastEventAt ? (
          <Text size="xs" c="dimmed">
            last {formatDateTime(i.lastEventAt)}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        {i.isBot ? (
          <Badge color="gray">bot</Badge>
        ) : i.personName ? (
          <Text size="sm">
            {i.personName}{' '}
            <Text span size="xs" c="dimmed">
              ({i.mappedBy})
            </Text>
          </Text>
        ) : (
          <Select
            aria-label={`Person for ${i.externalId}`}
            placeholder="Search a person"
            searchable
            data={options}
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={q.length > 1 ? 'Nobody found' : 'Type a name'}
            onChange={(personId) => {
              if (personId)
                action.mutate(
                  { id: i.id, personId },
                  {
                    onSuccess: (r) =>
                      notifications.show({
                        color: 'green',
                        message: `Mapped to ${r.personName}; ${r.eventCount} events attributed.`,
                      }),
                    onError,
                  },
                );
            }}
            w={280}
          />
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {i.personId || i.isBot ? (
            <Button
              size="xs"
              variant="subtle"
              onClick={() =>
                action.mutate(i.isBot ? { id: i.id, isBot: false } : { id: i.id, unmap: true }, { onError })
              }
            >
              {i.isBot ? 'Not a bot' : 'Unmap'}
            </Button>
          ) : (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => action.mutate({ id: i.id, isBot: true }, { onError })}
            >
              Mark as bot
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function QuarantinePanel() {
  const [status, setStatus] = useState('pending');
  const [page, setPage] = useState(1);
  const quarantine = useQuarantine(status, (page - 1) * PAGE);
  const action = useQuarantineAction();
  const [shown, setShown] = useState<unknown>(null);
  return (
    <Stack>
      <SegmentedControl
        aria-label="Quarantine status"
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
        }}
        data={[
          { value: 'pending', label: 'Pending' },
          { value: 'resolved', label: 'Resolved' },
          { value: 'discarded', label: 'Discarded' },
          { value: 'all', label: 'All' },
        ]}
        w={420}
      />
      {quarantine.isPending ? (
        <Loading />
      ) : quarantine.isError ? (
        <ErrorNotice error={quarantine.error} />
      ) : quarantine.data.items.length === 0 ? (
        <Text c="dimmed">Nothing in quarantine.</Text>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table fz="sm" verticalSpacing="sm" data-testid="quarantine-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Problem</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {quarantine.data.items.map((q) => (
                  <Table.Tr key={q.id}>
                    <Table.Td>
                      <Text size="sm">{q.recordRef}</Text>
                      <Text size="xs" c="dimmed">
                        {q.connectionName ?? q.source} · {formatDateTime(q.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={420}>
                      <Text size="sm">{q.problem}</Text>
                    </Table.Td>
                    <Table.Td>{q.attempts}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() =>
                            void api
                              .get<{ raw: unknown }>(`/api/v1/quarantine/${q.id}`)
                              .then((d) => setShown(d.raw))
                          }
                        >
                          Inspect
                        </Button>
                        {q.status === 'pending' ? (
                          <>
                            <Button
                              size="xs"
                              onClick={() =>
                                action.mutate(
                                  { id: q.id, action: 'retry' },
                                  {
                                    onSuccess: (r) =>
                                      notifications.show({
                                        color: 'status' in r && r.status === 'resolved' ? 'green' : 'orange',
                                        message:
                                          'status' in r && r.status === 'resolved'
                                            ? 'Accepted.'
                                            : `Still rejected: ${'problem' in r ? r.problem : ''}`,
                                      }),
                                    onError: (e) =>
                                      notifications.show({
                                        color: 'red',
                                        title: 'Cannot retry',
                                        message: describeError(e),
                                      }),
                                  },
                                )
                              }
                            >
                              Retry
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => action.mutate({ id: q.id, action: 'discard' })}
                            >
                              Discard
                            </Button>
                          </>
                        ) : (
                          <Badge color="gray">{q.status}</Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {quarantine.data && quarantine.data.total > PAGE ? (
        <Pagination total={Math.ceil(quarantine.data.total / PAGE)} value={page} onChange={setPage} />
      ) : null}
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Raw record" size="lg">
        <Code block>{JSON.stringify(shown, null, 2)}</Code>
      </Modal>
    </Stack>
  );
}
