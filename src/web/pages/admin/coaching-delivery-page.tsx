import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconKey, IconMail, IconRobot, IconWebhook } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  useAiSettings,
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveryStatus,
  useSaveAiSettings,
  useTestAiSettings,
  useTestWebhook,
  useWebhookDeliveries,
  useWebhooks,
  type WebhookEndpoint,
} from '../../api/coaching.js';
import { CopyField } from '../../components/copy-field.js';
import { formatDateTime } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

/** Administrators: where coaching moments go (webhooks, e-mail) and the optional AI endpoint. */
export function CoachingDeliveryPage() {
  return (
    <Stack>
      <PageTitle
        title="Coaching delivery"
        description="Where coaching moments go besides the in-app inbox — signed webhooks (Slack-compatible) and the e-mail digest — and the optional AI endpoint that can draft guides. Webhook messages carry no coaching content, only a link into Cairn."
      />
      <WebhooksSection />
      <SmtpSection />
      <AiSettingsSection />
    </Stack>
  );
}

function Section({
  icon,
  title,
  children,
  testId,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid={testId}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={2} size="h4">
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

function WebhooksSection() {
  const hooks = useWebhooks();
  const create = useCreateWebhook();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const errors = fieldErrorsOf(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), url: url.trim() },
      {
        onSuccess: (created) => {
          setSecret({ name: name.trim(), secret: created.secret });
          setName('');
          setUrl('');
        },
      },
    );
  };

  return (
    <Section icon={<IconWebhook size={20} />} title="Webhooks" testId="webhooks">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Each coaching moment is POSTed as Slack-compatible JSON, signed with HMAC-SHA256 in the{' '}
          <Code>X-Cairn-Signature</Code> header, and retried with backoff. See docs/coaching-delivery.md for
          how a receiver verifies it.
        </Text>
        {secret ? (
          <Alert
            color="teal"
            icon={<IconKey size={18} />}
            title={`Signing secret of “${secret.name}”`}
            data-testid="webhook-secret"
          >
            <Text size="sm" mb="xs">
              Copy it now into the receiver’s configuration: it is shown only this once.
            </Text>
            <CopyField value={secret.secret} label="signing secret" />
            <Button size="compact-sm" variant="subtle" mt="xs" onClick={() => setSecret(null)}>
              I have copied it
            </Button>
          </Alert>
        ) : null}
        {hooks.isPending ? (
          <Loading />
        ) : hooks.isError ? (
          <ErrorNotice error={hooks.error} />
        ) : hooks.data.items.length === 0 ? (
          <Text size="sm">No webhook endpoints yet.</Text>
        ) : (
          <Table withTableBorder data-testid="webhook-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th>Secret</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.items.map((h) => (
                <WebhookRow
                  key={h.id}
                  h={h}
                  showLog={logOf === h.id}
                  onToggleLog={() => setLogOf(logOf === h.id ? null : h.id)}
                />
              ))}
            </Table.Tbody>
          </Table>
        )}
        {logOf ? <DeliveryLog id={logOf} /> : null}
        <form onSubmit={submit}>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Name"
              placeholder="#eng-managers"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              required
            />
            <TextInput
              label="URL"
              placeholder="https://hooks.slack.com/services/…"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={errors.url}
              required
              w={420}
            />
            <Button type="submit" loading={create.isPending}>
              Add webhook
            </Button>
          </Group>
          <FormError error={create.error} fields={['name', 'url']} />
        </form>
      </Stack>
    </Section>
  );
}

function WebhookRow({
  h,
  showLog,
  onToggleLog,
}: {
  h: WebhookEndpoint;
  showLog: boolean;
  onToggleLog: () => void;
}) {
  const test = useTestWebhook();
  const remove = useDeleteWebhook();
  return (
    <Table.Tr data-testid="webhook-row">
      <Table.Td>
        {h.name}{' '}
        {h.enabled ? null : (
          <Badge size="xs" color="gray">
            off
          </Badge>
        )}
      </Table.Td>
      <Table.Td style={{ wordBreak: 'break-all' }}>
        <Text size="sm">{h.url}</Text>
      </Table.Td>
      <Table.Td>
        <Code>{h.secretHint}</Code>
      </Table.Td>
      <Table.Td>{formatDateTime(h.createdAt)}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => test.mutate(h.id)}
            loading={test.isPending}
          >
            Test
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={onToggleLog}>
            {showLog ? 'Hide log' : 'Delivery log'}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            onClick={() => {
              if (window.confirm(`Delete the webhook “${h.name}” and its delivery log?`)) remove.mutate(h.id);
            }}
          >
            Delete
          </Button>
        </Group>
        {test.data ? (
          <Text size="xs" c={test.data.ok ? 'green' : 'red'} data-testid="webhook-test-result">
            {test.data.ok
              ? `Delivered (${test.data.statusCode ?? ''})`
              : `Failed: ${test.data.error ?? `status ${test.data.statusCode ?? 'none'}`}`}
          </Text>
        ) : null}
        {test.isError ? <ErrorNotice error={test.error} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const log = useWebhookDeliveries(id);
  if (log.isPending) return <Loading />;
  if (log.isError) return <ErrorNotice error={log.error} />;
  if (log.data.items.length === 0) return <Text size="sm">Nothing delivered to this endpoint yet.</Text>;
  return (
    <Table withTableBorder fz="sm" data-testid="delivery-log">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Created</Table.Th>
          <Table.Th>Event</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Attempts</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {log.data.items.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
            <Table.Td>{d.event}</Table.Td>
            <Table.Td>
              <Badge
                size="sm"
                color={d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : 'yellow'}
              >
                {d.status}
              </Badge>
            </Table.Td>
            <Table.Td>
              {d.log.map((a) => (
                <Text key={a.attempt} size="xs">
                  #{a.attempt} {formatDateTime(a.at)} — {a.statusCode ?? 'no answer'}
                  {a.error ? ` (${a.error})` : ''}, {a.durationMs} ms
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function SmtpSection() {
  const status = useDeliveryStatus();
  return (
    <Section icon={<IconMail size={20} />} title="E-mail digest (SMTP)" testId="smtp-status">
      {status.isPending ? (
        <Loading />
      ) : status.isError ? (
        <ErrorNotice error={status.error} />
      ) : (
        <Stack gap="xs">
          {status.data.smtp.configured ? (
            <Text size="sm">
              <Badge color="green" mr="xs">
                configured
              </Badge>
              {status.data.smtp.host}:{status.data.smtp.port}{' '}
              {status.data.smtp.secure ? '(TLS)' : '(STARTTLS if offered)'}, from {status.data.smtp.from}
            </Text>
          ) : (
            <Text size="sm">
              <Badge color="gray" mr="xs">
                not configured
              </Badge>
              No digests are sent.
            </Text>
          )}
          <Text size="sm" c="dimmed">
            SMTP is set in the server’s environment, not here: <Code>CAIRN_SMTP_HOST</Code>,{' '}
            <Code>CAIRN_SMTP_PORT</Code>, <Code>CAIRN_SMTP_SECURE</Code>, <Code>CAIRN_SMTP_USER</Code>,{' '}
            <Code>CAIRN_SMTP_PASS</Code>, <Code>CAIRN_SMTP_FROM</Code>; restart Cairn after changing them
            (docs/coaching-delivery.md). Each person chooses their digest time in their settings; the
            scheduler runs <Code>{status.data.digestSchedule}</Code> (UTC){' '}
            {status.data.jobs ? '' : '— background jobs are off on this instance'}.
          </Text>
        </Stack>
      )}
    </Section>
  );
}

function AiSettingsSection() {
  const settings = useAiSettings();
  const save = useSaveAiSettings();
  const test = useTestAiSettings();
  const [enabled, setEnabled] = useState(false);
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [timeoutSeconds, setTimeoutSeconds] = useState<number>(30);
  useEffect(() => {
    if (!settings.data) return;
    setEnabled(settings.data.enabled);
    setBaseUrl(settings.data.baseUrl ?? '');
    setModel(settings.data.model ?? '');
    setTimeoutSeconds(settings.data.timeoutSeconds);
  }, [settings.data]);
  const errors = fieldErrorsOf(save.error);

  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorNotice error={settings.error} />;
  const s = settings.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        enabled,
        baseUrl: baseUrl.trim() || null,
        model: model.trim() || null,
        ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
        timeoutSeconds,
      },
      { onSuccess: () => setApiKey('') },
    );
  };

  return (
    <Section icon={<IconRobot size={20} />} title="AI drafting (optional)" testId="ai-settings">
      <form onSubmit={submit}>
        <Stack gap="sm" maw={620}>
          <Text size="sm" c="dimmed">
            Any OpenAI-compatible endpoint — a hosted service or a local server (Ollama, vLLM, llama.cpp). Off
            by default; Cairn’s built-in guides work without it. Prompts hold only what the manager asking may
            see, and every draft needs a person to accept it. See docs/coaching-ai.md.
          </Text>
          <Switch
            label="Offer “Draft with AI” on opportunities"
            checked={enabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <TextInput
            label="Base URL"
            description="Up to and including /v1; Cairn appends /chat/completions"
            placeholder="http://localhost:11434/v1"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.currentTarget.value)}
            error={errors.baseUrl}
          />
          <TextInput
            label="Model"
            placeholder="llama3.1:8b"
            value={model}
            onChange={(e) => setModel(e.currentTarget.value)}
            error={errors.model}
          />
          <PasswordInput
            label="API key"
            description={
              s.apiKey.set
                ? `A key ending in ${s.apiKey.last4 ?? '…'} is set. Leave empty to keep it.`
                : 'Not set (local servers usually need none).'
            }
            placeholder={s.apiKey.set ? '••••••••' : ''}
            value={apiKey}
            onChange={(e) => setApiKey(e.currentTarget.value)}
            error={errors.apiKey}
            autoComplete="off"
          />
          <NumberInput
            label="Timeout (seconds)"
            min={1}
            max={300}
            value={timeoutSeconds}
            onChange={(v) => setTimeoutSeconds(typeof v === 'number' ? v : 30)}
            w={200}
          />
          <FormError error={save.error} fields={['baseUrl', 'model', 'apiKey']} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save AI settings
            </Button>
            <Button
              variant="default"
              loading={test.isPending}
              onClick={() =>
                test.mutate({
                  ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
                  ...(model.trim() ? { model: model.trim() } : {}),
                  ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
                })
              }
            >
              Test connection
            </Button>
            {s.apiKey.set ? (
              <Anchor
                component="button"
                type="button"
                size="sm"
                c="red"
                onClick={() =>
                  save.mutate({
                    enabled,
                    baseUrl: baseUrl.trim() || null,
                    model: model.trim() || null,
                    apiKey: null,
                  })
                }
              >
                Remove the key
              </Anchor>
            ) : null}
          </Group>
          {save.isSuccess ? (
            <Text size="sm" c="green">
              Saved{s.configured ? ' — drafting is on.' : s.enabled ? '.' : ' — drafting is off.'}
            </Text>
          ) : null}
          {test.data ? (
            <Alert color={test.data.ok ? 'green' : 'red'} data-testid="ai-test-result">
              {test.data.ok
                ? `The endpoint answered in ${test.data.latencyMs ?? '?'} ms (model ${test.data.model ?? '?'}).`
                : test.data.error}
            </Alert>
          ) : null}
          {test.isError ? <ErrorNotice error={test.error} /> : null}
        </Stack>
      </form>
    </Section>
  );
}
