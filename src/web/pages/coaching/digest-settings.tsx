import { Button, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { Static } from '@sinclair/typebox';
import type { DigestSettings } from '../../../modules/coaching/delivery.schema.js';
import { api } from '../../api/client.js';
import { formatDateTime } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';

type Settings = Static<typeof DigestSettings>;
const KEY = ['me', 'digest'] as const;

/** Personal e-mail digest settings: on/off, local time, weekdays only; shows the next send time. */
export function DigestSettingsSection() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<Settings>('/api/v1/me/digest'),
    retry: false,
  });
  const [enabled, setEnabled] = useState(true);
  const [localTime, setLocalTime] = useState('08:30');
  const [weekdaysOnly, setWeekdaysOnly] = useState(true);
  useEffect(() => {
    if (settings.data) {
      setEnabled(settings.data.enabled);
      setLocalTime(settings.data.localTime);
      setWeekdaysOnly(settings.data.weekdaysOnly);
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api.patch<Settings>('/api/v1/me/digest', { enabled, localTime, weekdaysOnly }),
    onSuccess: (data) => queryClient.setQueryData(KEY, data),
  });
  if (settings.isError) return null; // accounts without a person have no digest
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper
      withBorder
      p="lg"
      radius="md"
      maw={520}
      component="form"
      onSubmit={submit}
      data-testid="digest-settings"
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          Coaching digest e-mail
        </Title>
        <Text size="sm" c="dimmed">
          Unread coaching moments by e-mail, at a time of your choosing in your time zone
          {settings.data ? ` (${settings.data.timeZone})` : ''}.
        </Text>
        <Switch
          label="Send me the digest"
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        <Group align="flex-end">
          <TextInput
            label="Local time (HH:MM)"
            value={localTime}
            onChange={(e) => setLocalTime(e.currentTarget.value)}
            error={fieldErrorsOf(save.error).localTime}
            w={160}
          />
          <Switch
            label="Weekdays only"
            checked={weekdaysOnly}
            onChange={(e) => setWeekdaysOnly(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
        {settings.data?.nextSendAt ? (
          <Text size="sm" data-testid="digest-next">
            Next digest: {formatDateTime(settings.data.nextSendAt)} (only when there is something unread)
          </Text>
        ) : null}
        <FormError error={save.error} fields={['localTime']} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save digest settings
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
