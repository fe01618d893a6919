import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRepeat } from '@tabler/icons-react';
import { Link } from 'react-router';
import { KIND_COLOR, KIND_LABEL, type ConversationSummary } from '../../api/conversations.js';
import { formatRange } from './time-zone.js';

/** The kind of a conversation as a coloured badge. */
export function KindBadge({ kind }: { kind: ConversationSummary['kind'] }) {
  return (
    <Badge color={KIND_COLOR[kind]} variant="light" tt="none">
      {KIND_LABEL[kind]}
    </Badge>
  );
}

/** Who else is in the conversation, from the viewer's side. */
export function otherPeople(c: ConversationSummary, meId: string | null | undefined): string {
  const others = c.participants.filter((p) => p.personId !== meId).map((p) => p.name);
  if (others.length <= 3) return others.join(', ');
  return `${others.slice(0, 3).join(', ')} and ${others.length - 3} more`;
}

/** One conversation in a list: time, kind, title, the other people, follow-ups. */
export function ConversationCard({
  c,
  timeZone,
  meId,
}: {
  c: ConversationSummary;
  timeZone: string;
  meId: string | null | undefined;
}) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="conversation-card" data-id={c.id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={8}>
            <Text fw={600} size="sm" ff="monospace">
              {formatRange(c.scheduledAt, c.durationMinutes, timeZone)}
            </Text>
            <KindBadge kind={c.kind} />
            {c.seriesId ? (
              <Badge variant="outline" color="gray" leftSection={<IconRepeat size={12} />} tt="none">
                Series
              </Badge>
            ) : null}
            {c.status !== 'scheduled' ? (
              <Badge variant="outline" color={c.status === 'completed' ? 'green' : 'gray'} tt="none">
                {c.status === 'completed' ? 'Held' : 'Cancelled'}
              </Badge>
            ) : null}
          </Group>
          <Anchor component={Link} to={`/conversations/${c.id}`} fw={600}>
            {c.title}
          </Anchor>
          <Text size="sm" c="dimmed">
            with {otherPeople(c, meId) || 'nobody else'}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          {c.overdueActions > 0 ? (
            <Badge color="red" leftSection={<IconAlertTriangle size={12} />} tt="none">
              {c.overdueActions} overdue
            </Badge>
          ) : null}
          {c.openActions > 0 ? (
            <Text size="xs" c="dimmed">
              {c.openActions} open follow-up{c.openActions === 1 ? '' : 's'}
            </Text>
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}
