import { Anchor, Badge, Button, Group, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconBell, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { OpportunitySummaryType } from '../../../modules/coaching/opportunities.schema.js';
import { useInbox, useMarkInboxItem, useOpportunities } from '../../api/coaching.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { age, formatInZone, OpportunityBadges, useViewerTimeZone } from './coaching-ui.js';

type Tab = 'open' | 'snoozed' | 'done';

/** The coaching inbox: suggested moments to coach (open / snoozed / done) and unread notifications. */
export function CoachingInboxPage() {
  const [tab, setTab] = useState<Tab>('open');
  const timeZone = useViewerTimeZone();
  const list = useOpportunities(tab === 'done' ? 'all' : tab);
  const counts = list.data?.counts;
  const items = (list.data?.items ?? []).filter((o) =>
    tab === 'done' ? o.status === 'acted' || o.status === 'dismissed' : o.status === tab,
  );

  return (
    <Stack>
      <PageTitle
        title="Coaching"
        description={`Moments to coach, raised from real work: dips and strengths against each person’s own baseline, long gaps, ramp-ups and team-wide patterns. Each one says why and suggests a conversation in the way that suits the person. Times in your time zone (${timeZone}).`}
      />
      <Notifications timeZone={timeZone} />
      <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? 'open')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="open" leftSection={<IconInbox size={16} />}>
            Open{counts ? ` (${counts.open})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="snoozed">Snoozed{counts ? ` (${counts.snoozed})` : ''}</Tabs.Tab>
          <Tabs.Tab value="done">Done{counts ? ` (${counts.acted + counts.dismissed})` : ''}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} title="Cannot load your coaching opportunities" />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="opportunities-empty">
          {tab === 'open'
            ? 'Nothing to coach right now. New moments appear here as work data comes in.'
            : tab === 'snoozed'
              ? 'Nothing snoozed.'
              : 'Nothing acted on or dismissed yet.'}
        </Text>
      ) : (
        <Table striped highlightOnHover withTableBorder data-testid="opportunities">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Opportunity</Table.Th>
              <Table.Th>About</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Age</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((o) => (
              <OpportunityRow key={o.id} o={o} timeZone={timeZone} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {counts && counts.suppressedThisWeek > 0 ? (
        <Text size="xs" c="dimmed">
          {counts.suppressedThisWeek} more held back this week so the inbox does not flood; they come back on
          the next scan.
        </Text>
      ) : null}
    </Stack>
  );
}

function OpportunityRow({ o, timeZone }: { o: OpportunitySummaryType; timeZone: string }) {
  return (
    <Table.Tr data-testid="opportunity-row">
      <Table.Td>
        <Stack gap={4}>
          <Anchor component={Link} to={`/coaching/opportunities/${o.id}`} fw={600}>
            {o.title}
          </Anchor>
          <OpportunityBadges priority={o.priority} polarity={o.polarity} />
          <Text size="xs" c="dimmed">
            {o.reason}
          </Text>
          {o.status === 'snoozed' && o.snoozedUntil ? (
            <Text size="xs">Snoozed until {o.snoozedUntil}</Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Anchor
          component={Link}
          to={o.subject.type === 'person' ? `/people/${o.subject.id}` : `/teams/${o.subject.id}`}
        >
          {o.subject.name}
        </Anchor>
        {o.subject.type === 'team' ? (
          <Badge size="xs" variant="light" ml={6}>
            team
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>{o.triggerLabel}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" title={formatInZone(o.createdAt, timeZone)}>
          {age(o.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Unread notifications of the delivery inbox (workflow moments, digests' items). */
function Notifications({ timeZone }: { timeZone: string }) {
  const inbox = useInbox(true);
  const mark = useMarkInboxItem();
  // An opportunity's own notification is the row below; here only the other moments and notices.
  const items = (inbox.data?.items ?? []).filter((i) => !i.link?.startsWith('/coaching/opportunities/'));
  if (inbox.isError || items.length === 0) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="inbox-notifications">
      <Group gap="xs" mb="xs">
        <IconBell size={18} />
        <Title order={2} size="h5">
          Unread notifications ({items.length})
        </Title>
      </Group>
      <Stack gap="xs">
        {items.map((item) => (
          <Group key={item.id} justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              {item.link ? (
                <Anchor
                  component={Link}
                  to={item.link}
                  fw={600}
                  size="sm"
                  onClick={() => mark.mutate({ id: item.id, state: 'read' })}
                >
                  {item.title}
                </Anchor>
              ) : (
                <Text fw={600} size="sm">
                  {item.title}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {item.body} · {formatInZone(item.createdAt, timeZone)}
              </Text>
            </div>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => mark.mutate({ id: item.id, state: 'read' })}
              loading={mark.isPending && mark.variables?.id === item.id}
            >
              Mark read
            </Button>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
