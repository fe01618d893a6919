import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  ActionIcon,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconKey, IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../../api/client.js';
import { FormError } from '../../components/form-error.js';
import { usePeopleSearch, useTeams } from '../../api/org.js';
import { useSession } from '../../api/session.js';
import type { AccountSummary, PasswordResetIssued, Role } from '../../api/types.js';
import { CopyField } from '../../components/copy-field.js';
import { formatDateTime } from '../../components/dates.js';
import { PersonLink } from '../../components/person-link.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

const ROLES: { value: Role; label: string; description: string }[] = [
  {
    value: 'admin',
    label: 'Admin',
    description: 'Manages accounts, reads the audit log, connects data sources.',
  },
  {
    value: 'hr',
    label: 'HR',
    description: 'Org-wide people data; as HR partner for the teams chosen below.',
  },
  { value: 'executive', label: 'Executive', description: 'Organisation-wide outcome views.' },
];
const ACCOUNTS_KEY = ['accounts'] as const;

export function AccountsPage() {
  const accounts = useQuery({
    queryKey: ACCOUNTS_KEY,
    queryFn: () => api.get<{ items: AccountSummary[] }>('/api/v1/accounts'),
  });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AccountSummary | null>(null);
  const [resetting, setResetting] = useState<AccountSummary | null>(null);

  return (
    <Stack>
      <PageTitle
        title="Accounts"
        description="Who can sign in, with which roles. A new account sets its password through a one-time reset link that you pass on."
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
            New account
          </Button>
        }
      />
      {accounts.isPending ? (
        <Loading />
      ) : accounts.isError ? (
        <ErrorNotice error={accounts.error} title="Cannot load the accounts" />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="accounts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>E-mail</Table.Th>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.data.items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{a.email}</Table.Td>
                    <Table.Td>
                      {a.personId ? <PersonLink id={a.personId}>{a.personName ?? 'Person'}</PersonLink> : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {a.roles.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            none
                          </Text>
                        ) : null}
                        {a.roles.map((r) => (
                          <Badge key={r} size="sm" variant="light">
                            {ROLES.find((x) => x.value === r)?.label ?? r}
                          </Badge>
                        ))}
                        {a.hrTeamIds.length ? (
                          <Badge size="sm" variant="outline" color="gray">
                            HR partner · {a.hrTeamIds.length} {a.hrTeamIds.length === 1 ? 'team' : 'teams'}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {a.disabled ? (
                          <Badge color="red">Disabled</Badge>
                        ) : (
                          <Badge color="teal">Active</Badge>
                        )}
                        {a.isDemo ? (
                          <Badge color="yellow" variant="light">
                            Demo
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{a.lastLoginAt ? formatDateTime(a.lastLoginAt) : 'Never'}</Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${a.email}`}>
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing(a)}>
                            Change roles or status
                          </Menu.Item>
                          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setResetting(a)}>
                            Reset password
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New account" size="lg">
        {creating ? <CreateAccountForm onDone={() => setCreating(false)} /> : null}
      </Modal>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Edit ${editing?.email ?? ''}`}
        size="lg"
      >
        {editing ? <EditAccountForm account={editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
      <Modal
        opened={resetting !== null}
        onClose={() => setResetting(null)}
        title={`Reset the password of ${resetting?.email ?? ''}`}
        size="lg"
      >
        {resetting ? <ResetPasswordPanel account={resetting} /> : null}
      </Modal>
    </Stack>
  );
}

function RolesField({
  value,
  onChange,
  error,
}: {
  value: Role[];
  onChange: (v: Role[]) => void;
  error?: string;
}) {
  return (
    <Checkbox.Group label="Roles" value={value} onChange={(v) => onChange(v as Role[])} error={error}>
      <Stack gap={6} mt={6}>
        {ROLES.map((r) => (
          <Checkbox key={r.value} value={r.value} label={r.label} description={r.description} />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

function HrTeamsField({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const teams = useTeams();
  return (
    <MultiSelect
      label="HR partner for"
      description="People in these teams (and their sub-teams) are in this account's HR scope."
      placeholder={teams.isError ? 'Teams are not available' : 'Choose teams'}
      data={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      disabled={teams.isError}
      error={error}
    />
  );
}

function PersonField({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const people = usePeopleSearch(q, q.length > 1);
  const data = (people.data?.pages.flatMap((p) => p.items) ?? []).map((p) => ({
    value: p.id,
    label: `${p.name} · ${p.email}`,
  }));
  return (
    <Select
      label="Person (optional)"
      description="Link the account to a person so it sees that person's pages as its own."
      placeholder="Search by name"
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={
        q.length > 1 ? (people.isError ? describeError(people.error) : 'Nobody found') : 'Type a name'
      }
      error={error}
    />
  );
}

function CreateAccountForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [personId, setPersonId] = useState<string | null>(null);
  const [hrTeamIds, setHrTeamIds] = useState<string[]>([]);
  const [created, setCreated] = useState<AccountSummary | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<AccountSummary>('/api/v1/accounts', { email: email.trim(), roles, personId, hrTeamIds }),
    onSuccess: (account) => {
      setCreated(account);
      void queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors : {};

  if (created) {
    return (
      <Stack>
        <Alert color="teal" title="Account created">
          {created.email} exists but has no password yet. Issue a reset link and send it to them.
        </Alert>
        <ResetPasswordPanel account={created} />
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="E-mail"
          type="email"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
            if (errors.email) create.reset();
          }}
          error={errors.email}
        />
        <PersonField value={personId} onChange={setPersonId} error={errors.personId} />
        <RolesField value={roles} onChange={setRoles} error={errors.roles} />
        <HrTeamsField value={hrTeamIds} onChange={setHrTeamIds} error={errors.hrTeamIds} />
        <FormError error={create.error} fields={['email', 'personId', 'roles', 'hrTeamIds']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditAccountForm({ account, onDone }: { account: AccountSummary; onDone: () => void }) {
  const queryClient = useQueryClient();
  const session = useSession();
  const isSelf = session.data?.account.id === account.id;
  const [roles, setRoles] = useState<Role[]>(account.roles);
  const [disabled, setDisabled] = useState(account.disabled);
  const [hrTeamIds, setHrTeamIds] = useState<string[]>(account.hrTeamIds);
  const update = useMutation({
    mutationFn: () =>
      api.patch<AccountSummary>(`/api/v1/accounts/${account.id}`, { roles, disabled, hrTeamIds }),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
      notifications.show({ color: 'teal', message: `Saved ${updated.email}.` });
      onDone();
    },
  });
  const errors = update.error instanceof ApiError ? update.error.fieldErrors : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <RolesField value={roles} onChange={setRoles} error={errors.roles} />
        <HrTeamsField value={hrTeamIds} onChange={setHrTeamIds} error={errors.hrTeamIds} />
        <Switch
          label="Disabled"
          description={
            isSelf
              ? 'You cannot disable your own account.'
              : 'A disabled account cannot sign in; its sessions end at once.'
          }
          checked={disabled}
          disabled={isSelf}
          onChange={(e) => setDisabled(e.currentTarget.checked)}
          color="red"
        />
        <FormError error={update.error} fields={['roles', 'hrTeamIds', 'disabled']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordPanel({ account }: { account: AccountSummary }) {
  const issue = useMutation({
    mutationFn: () => api.post<PasswordResetIssued>(`/api/v1/accounts/${account.id}/password-reset`),
  });
  if (issue.data) {
    return (
      <Stack gap="sm">
        <Text size="sm">
          Send this one-time link to {account.email}. It works once and expires{' '}
          {formatDateTime(issue.data.expiresAt)}. It is not shown again.
        </Text>
        <CopyField value={issue.data.resetUrl} label="reset link" />
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        A reset link lets {account.email} choose a new password. Issuing one does not change the current
        password until the link is used; using it signs the account out everywhere.
      </Text>
      {issue.error ? <ErrorNotice error={issue.error} /> : null}
      <Group>
        <Button leftSection={<IconKey size={18} />} onClick={() => issue.mutate()} loading={issue.isPending}>
          Issue reset link
        </Button>
      </Group>
    </Stack>
  );
}
