import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, describeError } from '../../api/client.js';
import type { Ok } from '../../api/types.js';
import { CairnMark } from '../../components/cairn-mark.js';

/** Sets a new password with the one-time link an administrator issued. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation({
    mutationFn: (newPassword: string) => api.post<Ok>('/api/v1/auth/password-reset', { token, newPassword }),
  });

  useEffect(() => {
    document.title = 'Set a new password · Cairn';
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    reset.mutate(password);
  };

  const fieldErrors = reset.error instanceof ApiError ? reset.error.fieldErrors : {};
  const tokenProblem = Boolean(fieldErrors.token);

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Center py={48} px="md">
        <Stack w={420} maw="100%" gap="lg">
          <Group gap="sm" justify="center">
            <CairnMark size={40} />
            <Title order={1} size="h2">
              Cairn
            </Title>
          </Group>
          <Paper withBorder shadow="sm" p="xl" radius="md">
            {!token ? (
              <Alert color="red" icon={<IconAlertTriangle size={18} />} title="This link is incomplete">
                The address has no reset token. Open the full link you were given, or ask an administrator for
                a new one.
              </Alert>
            ) : reset.isSuccess ? (
              <Stack>
                <Alert color="teal" icon={<IconCheck size={18} />} title="Password set">
                  Your new password is saved and every earlier session was signed out.
                </Alert>
                <Button component={Link} to="/login">
                  Sign in
                </Button>
              </Stack>
            ) : (
              <form onSubmit={submit} noValidate aria-label="Set a new password">
                <Stack>
                  <Title order={2} size="h3">
                    Set a new password
                  </Title>
                  <Text size="sm" c="dimmed">
                    Choose a long passphrase (at least 12 characters) that does not contain your e-mail name.
                  </Text>
                  <PasswordInput
                    label="New password"
                    autoComplete="new-password"
                    required
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    error={fieldErrors.newPassword}
                  />
                  <PasswordInput
                    label="Repeat the new password"
                    autoComplete="new-password"
                    required
                    value={confirm}
                    onChange={(e) => setConfirm(e.currentTarget.value)}
                    error={mismatch ? 'The two passwords differ.' : undefined}
                  />
                  {reset.error && (tokenProblem || !fieldErrors.newPassword) ? (
                    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
                      {describeError(reset.error)}
                    </Alert>
                  ) : null}
                  <Button type="submit" loading={reset.isPending}>
                    Save password
                  </Button>
                  <Anchor component={Link} to="/login" size="sm">
                    Back to sign-in
                  </Anchor>
                </Stack>
              </form>
            )}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
