import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCalendarPlus, IconDownload, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  useHelpfulness,
  useMyActions,
  useMyConversations,
  useToggleAction,
  type ConversationSummary,
} from '../../api/conversations.js';
import { useSession } from '../../api/session.js';
import { formatDate } from '../../components/dates.js';
import { PageTitle } from '../../components/page-title.js';
import { PersonLink } from '../../components/person-link.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { ConversationCard } from './conversation-bits.js';
import { dayKey, formatDay, formatWhen } from './time-zone.js';

/** The person's conversations: upcoming (a calendar-like agenda in their time zone), their reports' 1:1s, past ones and follow-ups. */
export function ConversationsPage() {
  const session = useSession();
  const meId = session.data?.account.personId;
  const [now] = useState(() => new Date().toISOString());
  const upcoming = useMyConversations({ from: now, limit: 100 });
  const reports = useMyConversations({ role: 'manager', kind: 'one_on_one', limit: 500 });
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const past = useMyConversations(search ? { q: search, limit: 100 } : { to: now, limit: 60 });
  const timeZone = upcoming.data?.viewerTimeZone ?? 'UTC';
  const hasReports = (reports.data?.items.length ?? 0) > 0;

  if (!meId) {
    return (
      <Stack>
        <PageTitle title="Conversations" />
        <Alert color="gray">
          Your account is not linked to a person, so it has no coaching conversations.
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack>
      <PageTitle
        title="Conversations"
        description="1:1s, project debriefs, peer, upward and external coaching. Notes are private to their author or shared with the people in the conversation — nobody else, not HR, not your manager, can read them."
        actions={
          <Group>
            <Button
              component="a"
              href="/api/v1/me/conversations/export"
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              Export (JSON)
            </Button>
            <Button component={Link} to="/conversations/new" leftSection={<IconCalendarPlus size={16} />}>
              Schedule a conversation
            </Button>
          </Group>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <HelpfulnessCard />
        <OverdueCard />
      </SimpleGrid>
      <Tabs defaultValue="upcoming" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="upcoming">Upcoming</Tabs.Tab>
          {hasReports ? <Tabs.Tab value="reports">My reports’ 1:1s</Tabs.Tab> : null}
          <Tabs.Tab value="past">Past & search</Tabs.Tab>
          <Tabs.Tab value="actions">Follow-ups</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="upcoming" pt="md">
          {upcoming.isPending ? (
            <Loading />
          ) : upcoming.isError ? (
            <ErrorNotice error={upcoming.error} />
          ) : (
            <Upcoming items={upcoming.data.items} timeZone={timeZone} meId={meId} />
          )}
        </Tabs.Panel>
        {hasReports ? (
          <Tabs.Panel value="reports" pt="md">
            <ReportsOverview items={reports.data?.items ?? []} timeZone={timeZone} meId={meId} now={now} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="past" pt="md">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setSearch(q.trim());
            }}
          >
            <Group mb="md" align="flex-end">
              <TextInput
                label="Search your conversations"
                description="Titles, agenda, follow-ups, shared notes and your own private notes"
                value={q}
                onChange={(e) => setQ(e.currentTarget.value)}
                leftSection={<IconSearch size={16} />}
                w={420}
              />
              <Button type="submit" variant="default">
                Search
              </Button>
              {search ? (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    setSearch('');
                  }}
                >
                  Clear
                </Button>
              ) : null}
            </Group>
          </form>
          {past.isPending ? (
            <Loading />
          ) : past.isError ? (
            <ErrorNotice error={past.error} />
          ) : past.data.items.length === 0 ? (
            <Text c="dimmed">{search ? 'Nothing matches.' : 'No past conversations yet.'}</Text>
          ) : (
            <Stack gap="xs">
              {past.data.items.map((c) => (
                <Group key={c.id} wrap="nowrap" align="flex-start">
                  <Text size="sm" c="dimmed" w={170} style={{ flexShrink: 0 }}>
                    {formatWhen(c.scheduledAt, timeZone)}
                  </Text>
                  <div style={{ flex: 1 }}>
                    <ConversationCard c={c} timeZone={timeZone} meId={meId} />
                  </div>
                </Group>
              ))}
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          <ActionsTable />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Upcoming({
  items,
  timeZone,
  meId,
}: {
  items: ConversationSummary[];
  timeZone: string;
  meId: string;
}) {
  const days = useMemo(() => {
    const map = new Map<string, ConversationSummary[]>();
    for (const c of items) {
      const key = dayKey(c.scheduledAt, timeZone);
      map.set(key, [...(map.get(key) ?? []), c]);
    }
    return [...map.entries()];
  }, [items, timeZone]);
  if (items.length === 0)
    return (
      <Text c="dimmed">
        Nothing scheduled. Schedule a conversation from a person’s page or with the button above.
      </Text>
    );
  return (
    <Stack gap="lg" data-testid="upcoming">
      <Text size="sm" c="dimmed">
        Times in your time zone, {timeZone}.
      </Text>
      {days.map(([key, list]) => (
        <div key={key}>
          <Title order={3} size="h5" mb={6} data-testid="upcoming-day">
            {formatDay(list[0]!.scheduledAt, timeZone)}
          </Title>
          <Stack gap="xs">
            {list.map((c) => (
              <ConversationCard key={c.id} c={c} timeZone={timeZone} meId={meId} />
            ))}
          </Stack>
        </div>
      ))}
    </Stack>
  );
}

/** One row per report: when the last 1:1 was, when the next is, open follow-ups. */
function ReportsOverview({
  items,
  timeZone,
  meId,
  now,
}: {
  items: ConversationSummary[];
  timeZone: string;
  meId: string;
  now: string;
}) {
  const rows = useMemo(() => {
    const byReport = new Map<
      string,
      {
        id: string;
        name: string;
        last?: ConversationSummary;
        next?: ConversationSummary;
        held: number;
        open: number;
        overdue: number;
      }
    >();
    for (const c of items) {
      const report = c.participants.find((p) => p.personId !== meId && p.role === 'report');
      if (!report) continue;
      const row = byReport.get(report.personId) ?? {
        id: report.personId,
        name: report.name,
        held: 0,
        open: 0,
        overdue: 0,
      };
      if (c.status === 'completed') {
        row.held += 1;
        if (!row.last || row.last.scheduledAt < c.scheduledAt) row.last = c;
      }
      if (
        c.status === 'scheduled' &&
        c.scheduledAt >= now &&
        (!row.next || row.next.scheduledAt > c.scheduledAt)
      )
        row.next = c;
      row.open += c.openActions;
      row.overdue += c.overdueActions;
      byReport.set(report.personId, row);
    }
    return [...byReport.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [items, meId, now]);
  return (
    <Table striped data-testid="reports-overview">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Report</Table.Th>
          <Table.Th>Last 1:1</Table.Th>
          <Table.Th>Next 1:1</Table.Th>
          <Table.Th>Held</Table.Th>
          <Table.Th>Follow-ups</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <PersonLink id={r.id}>{r.name}</PersonLink>
            </Table.Td>
            <Table.Td>
              {r.last ? (
                <Anchor component={Link} to={`/conversations/${r.last.id}`}>
                  {formatWhen(r.last.scheduledAt, timeZone)}
                </Anchor>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td>
              {r.next ? (
                <Anchor component={Link} to={`/conversations/${r.next.id}`}>
                  {formatWhen(r.next.scheduledAt, timeZone)}
                </Anchor>
              ) : (
                <Text span c="orange" size="sm">
                  none scheduled
                </Text>
              )}
            </Table.Td>
            <Table.Td>{r.held}</Table.Td>
            <Table.Td>
              {r.open} open
              {r.overdue ? (
                <Badge ml={6} color="red" tt="none">
                  {r.overdue} overdue
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/conversations/new?with=${r.id}&kind=one_on_one`} size="sm">
                Schedule
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ActionsTable() {
  const actions = useMyActions('open');
  const toggle = useToggleAction();
  if (actions.isPending) return <Loading />;
  if (actions.isError) return <ErrorNotice error={actions.error} />;
  if (actions.data.items.length === 0) return <Text c="dimmed">No open follow-ups.</Text>;
  return (
    <Table data-testid="my-actions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Done</Table.Th>
          <Table.Th>Follow-up</Table.Th>
          <Table.Th>Owner</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>From</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {actions.data.items.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>
              <Checkbox
                aria-label={`Mark “${a.text}” done`}
                checked={a.done}
                onChange={(e) =>
                  toggle.mutate({ conversationId: a.conversationId, id: a.id, done: e.currentTarget.checked })
                }
              />
            </Table.Td>
            <Table.Td>{a.text}</Table.Td>
            <Table.Td>{a.ownerName}</Table.Td>
            <Table.Td>
              {formatDate(a.dueDate)}
              {a.overdue ? (
                <Badge ml={6} color="red" tt="none">
                  Overdue
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/conversations/${a.conversationId}`} size="sm">
                {a.conversationTitle}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function OverdueCard() {
  const overdue = useMyActions('overdue');
  const n = overdue.data?.items.length ?? 0;
  return (
    <Paper withBorder p="md" radius="md" data-testid="overdue-card">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        Overdue follow-ups
      </Text>
      <Text size="xl" fw={700} c={n ? 'red' : undefined}>
        {overdue.isPending ? '…' : n}
      </Text>
      <Text size="xs" c="dimmed">
        Carried into the next conversation’s agenda automatically.
      </Text>
    </Paper>
  );
}

function HelpfulnessCard() {
  const h = useHelpfulness();
  if (!h.data) return <Paper withBorder p="md" radius="md" />;
  return (
    <Paper withBorder p="md" radius="md" data-testid="helpfulness-card">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        How helpful your conversations were
      </Text>
      {h.data.visible ? (
        <>
          <Group gap={6} align="baseline">
            <Text size="xl" fw={700}>
              {h.data.mean?.toFixed(1)} / 5
            </Text>
            <Text size="sm" c="dimmed">
              from {h.data.count} ratings
            </Text>
          </Group>
          {h.data.comments.length ? (
            <Text size="xs" c="dimmed" lineClamp={3}>
              Comments: {groupComments(h.data.comments).join(' · ')}
            </Text>
          ) : null}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Shown once at least {h.data.threshold} ratings from {h.data.threshold} different people are in, so
          no single rating can be told apart.
        </Text>
      )}
    </Paper>
  );
}

/** Identical comments once, with how often they were given. */
function groupComments(comments: string[]): string[] {
  const counts = new Map<string, number>();
  for (const c of comments) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].map(([c, n]) => (n > 1 ? `“${c}” ×${n}` : `“${c}”`));
}
