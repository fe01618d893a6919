import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconFlask, IconLogin } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.js';
import { useDemoInfo, useLogin, useSession } from '../../api/session.js';
import type { DemoLogin } from '../../api/types.js';
import { CairnMark } from '../../components/cairn-mark.js';
import { DemoBanner } from '../../components/demo-banner.js';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function LoginPage() {
  const session = useSession();
  const demo = useDemoInfo();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    document.title = 'Sign in · Cairn';
  }, []);

  if (session.data) return <Navigate to={next} replace />;

  const fieldErrors = login.error instanceof ApiError ? login.error.fieldErrors : {};
  const generalError = login.error && !fieldErrors.email && !fieldErrors.password ? login.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  };

  const fill = (l: DemoLogin) => {
    setEmail(l.email);
    setPassword('demo');
    login.reset();
  };

  const isDemo = demo.data?.demo === true;

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      {isDemo ? <DemoBanner /> : null}
      <Center py={48} px="md">
        <Stack w="100%" maw={isDemo ? 880 : 420} gap="lg">
          <Group gap="sm" justify="center">
            <CairnMark size={40} />
            <Title order={1} size="h2">
              Cairn
            </Title>
          </Group>
          <Group align="flex-start" gap="lg" wrap="wrap" justify="center">
            <Paper withBorder shadow="sm" p="xl" radius="md" w={400} maw="100%">
              <form onSubmit={submit} noValidate aria-label="Sign in">
                <Stack>
                  <Title order={2} size="h3">
                    Sign in
                  </Title>
                  {params.get('reason') === 'password-changed' ? (
                    <Alert color="teal">Your password was changed. Sign in with the new one.</Alert>
                  ) : null}
                  <TextInput
                    label="E-mail"
                    type="email"
                    autoComplete="username"
                    value={email}
                    onChange={(e) => {
                      setEmail(e.currentTarget.value);
                      if (login.error) login.reset();
                    }}
                    error={fieldErrors.email}
                  />
                  <PasswordInput
                    label="Password"
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    error={fieldErrors.password}
                  />
                  {generalError ? (
                    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
                      {describeError(generalError)}
                    </Alert>
                  ) : null}
                  <Button type="submit" loading={login.isPending} leftSection={<IconLogin size={18} />}>
                    Sign in
                  </Button>
                  <Text size="xs" c="dimmed">
                    Forgot your password? Ask an administrator for a reset link.
                  </Text>
                </Stack>
              </form>
            </Paper>
            {isDemo ? <DemoLogins logins={demo.data?.logins ?? []} onPick={fill} /> : null}
          </Group>
        </Stack>
      </Center>
    </Box>
  );
}

function DemoLogins({ logins, onPick }: { logins: DemoLogin[]; onPick: (l: DemoLogin) => void }) {
  return (
    <Paper withBorder p="lg" radius="md" w={420} maw="100%" data-testid="demo-notice">
      <Stack gap="sm">
        <Group gap="xs">
          <IconFlask size={20} />
          <Title order={2} size="h4">
            This is a demo
          </Title>
        </Group>
        <Text size="sm">
          The organisation, its people and their data are fictional. Every demo person signs in with the
          password <b>demo</b>. Pick someone to see Cairn through their eyes:
        </Text>
        {logins.length === 0 ? (
          <Text size="sm" c="dimmed">
            The demo organisation has no suggested logins yet.
          </Text>
        ) : (
          <Stack gap={6} role="list" aria-label="Suggested demo logins">
            {logins.map((l) => (
              <UnstyledButton
                key={l.email}
                role="listitem"
                onClick={() => onPick(l)}
                data-testid="demo-login"
                data-email={l.email}
                data-role={l.role}
                p="xs"
                style={{ borderRadius: 8, border: '1px solid var(--mantine-color-gray-3)' }}
                aria-label={`Use ${l.name} (${l.role}), ${l.email}`}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} truncate>
                      {l.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {l.email}
                    </Text>
                  </div>
                  <Badge variant="light" style={{ flexShrink: 0 }}>
                    {l.role}
                  </Badge>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          Choosing a person fills in the form; then press Sign in.
        </Text>
      </Stack>
    </Paper>
  );
}
