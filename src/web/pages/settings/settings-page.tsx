import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck, IconKey, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, rememberCsrfToken } from '../../api/client.js';
import { SESSION_KEY, useSession } from '../../api/session.js';
import type { Ok, TokenCreated, TokenSummary } from '../../api/types.js';
import { CopyField } from '../../components/copy-field.js';
import { formatDate, formatDateTime } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { roleLabels } from '../../components/role-labels.js';
import { DigestSettingsSection } from '../coaching/digest-settings.js';

const TOKENS_KEY = ['me', 'tokens'] as const;

export function SettingsPage() {
  const session = useSession();
  const account = session.data?.account;
  return (
    <Stack>
      <PageTitle
        title="Settings"
        description={
          account
            ? `Signed in as ${account.email} (${roleLabels(account).join(', ') || 'no roles'}).`
            : undefined
        }
      />
      <DigestSettingsSection />
      <ApiTokens />
      <Box maw={520}>
        <ChangePassword />
      </Box>
    </Stack>
  );
}

function tokenStatus(t: TokenSummary): { label: string; color: string } {
  if (t.revokedAt) return { label: 'Revoked', color: 'gray' };
  if (t.expiresAt && new Date(t.expiresAt) <= new Date()) return { label: 'Expired', color: 'gray' };
  return { label: 'Active', color: 'teal' };
}

function ApiTokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: TOKENS_KEY,
    queryFn: () => api.get<{ items: TokenSummary[] }>('/api/v1/me/tokens'),
  });
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(90);
  const create = useMutation({
    mutationFn: () =>
      api.post<TokenCreated>('/api/v1/me/tokens', {
        name: name.trim(),
        ...(typeof days === 'number' ? { expiresInDays: days } : {}),
      }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<Ok>(`/api/v1/me/tokens/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
  const errors = fieldErrorsOf(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack>
        <Title order={2} size="h4">
          Personal API tokens
        </Title>
        <Text size="sm" c="dimmed">
          A token lets a script use the API as you: send it as{' '}
          <code>Authorization: Bearer &lt;token&gt;</code>. It can do what you can do, so keep it secret and
          revoke it when it is no longer needed.
        </Text>
        <form onSubmit={submit} noValidate aria-label="Create an API token">
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label="Name"
              placeholder="e.g. nightly export"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              style={{ flex: 1, minWidth: 200 }}
            />
            <NumberInput
              label="Expires after (days)"
              description="Empty: never"
              min={1}
              max={3650}
              value={days}
              onChange={setDays}
              error={errors.expiresInDays}
              w={170}
            />
            <Button type="submit" mt={25} loading={create.isPending} leftSection={<IconKey size={18} />}>
              Create token
            </Button>
          </Group>
        </form>
        <FormError error={create.error} fields={['name', 'expiresInDays']} />
        {create.data ? (
          <Alert
            color="teal"
            icon={<IconCheck size={18} />}
            title={`Token “${create.data.name}” created`}
            data-testid="token-created"
          >
            <Stack gap="xs">
              <Text size="sm">Copy it now: it is shown only this once and cannot be recovered.</Text>
              <CopyField value={create.data.token} label="token" />
            </Stack>
          </Alert>
        ) : null}
        {tokens.isPending ? (
          <Loading />
        ) : tokens.isError ? (
          <ErrorNotice error={tokens.error} />
        ) : tokens.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            You have no tokens.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Starts with</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((t) => {
                  const status = tokenStatus(t);
                  return (
                    <Table.Tr key={t.id}>
                      <Table.Td>{t.name}</Table.Td>
                      <Table.Td>
                        <code>{t.prefix}…</code>
                      </Table.Td>
                      <Table.Td>{formatDate(t.createdAt)}</Table.Td>
                      <Table.Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</Table.Td>
                      <Table.Td>{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</Table.Td>
                      <Table.Td>
                        <Badge color={status.color} variant="light">
                          {status.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {status.label === 'Active' ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            leftSection={<IconTrash size={14} />}
                            loading={revoke.isPending && revoke.variables === t.id}
                            onClick={() => revoke.mutate(t.id)}
                            aria-label={`Revoke ${t.name}`}
                          >
                            Revoke
                          </Button>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
      </Stack>
    </Paper>
  );
}

function ChangePassword() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => api.post<Ok>('/api/v1/auth/password', { currentPassword: current, newPassword: next }),
    onSuccess: () => {
      // The server ends every session on a password change: sign in again.
      rememberCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      void navigate('/login?reason=password-changed', { replace: true });
    },
  });
  const errors = fieldErrorsOf(change.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate();
  };
  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Stack>
          <Title order={2} size="h4">
            Change password
          </Title>
          <Text size="sm" c="dimmed">
            At least 12 characters, without your e-mail name. Changing it signs you out everywhere.
          </Text>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.currentPassword}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            error={errors.newPassword}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? 'The two passwords differ.' : undefined}
          />
          <FormError error={change.error} fields={['currentPassword', 'newPassword']} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
