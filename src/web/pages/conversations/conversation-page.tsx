import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  Chip,
  Grid,
  Group,
  Paper,
  Rating,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconLock, IconTrash, IconUsers } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../../api/client.js';
import {
  useConversation,
  useConversationChange,
  useMyConversations,
  useRateConversation,
  useTopicCatalogue,
  type ConversationDetail,
} from '../../api/conversations.js';
import { useSession } from '../../api/session.js';
import { formatDate } from '../../components/dates.js';
import { PageTitle } from '../../components/page-title.js';
import { PersonLink } from '../../components/person-link.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { KindBadge } from './conversation-bits.js';
import { formatRange, formatWhen } from './time-zone.js';

/** The conversation editor: agenda, notes (private and shared, in separate panels), follow-ups, topics and the rating. */
export function ConversationPage() {
  const { id = '' } = useParams();
  const conversation = useConversation(id);
  const tz = useMyConversations({ limit: 1 });
  const timeZone = tz.data?.viewerTimeZone ?? 'UTC';
  if (conversation.isPending) return <Loading />;
  if (conversation.isError)
    return <ErrorNotice error={conversation.error} title="Cannot open this conversation" />;
  return <Editor c={conversation.data} timeZone={timeZone} />;
}

function Editor({ c, timeZone }: { c: ConversationDetail; timeZone: string }) {
  const change = useConversationChange(c.id);
  const navigate = useNavigate();
  const session = useSession();
  const others = c.participants.filter((p) => p.personId !== session.data?.account.personId);
  const sharedWith = c.participants.map((p) => p.name).join(', ');
  return (
    <Stack>
      <PageTitle
        title={c.title}
        description={
          <>
            {formatWhen(c.scheduledAt, timeZone)} ({formatRange(c.scheduledAt, c.durationMinutes, timeZone)},{' '}
            {c.durationMinutes} min, {timeZone}) ·{' '}
            {c.participants.map((p, i) => (
              <span key={p.personId}>
                {i > 0 ? ', ' : ''}
                <PersonLink id={p.personId}>{p.name}</PersonLink>{' '}
                <Text span size="xs" c="dimmed">
                  ({p.role})
                </Text>
              </span>
            ))}
          </>
        }
        actions={
          <Group>
            <KindBadge kind={c.kind} />
            <Badge
              color={c.status === 'completed' ? 'green' : c.status === 'cancelled' ? 'gray' : 'blue'}
              variant="light"
              tt="none"
              data-testid="conversation-status"
            >
              {c.status === 'completed' ? 'Held' : c.status === 'cancelled' ? 'Cancelled' : 'Scheduled'}
            </Badge>
            {c.status === 'scheduled' ? (
              <>
                <Button
                  size="xs"
                  onClick={() => change.mutate({ method: 'patch', path: '', body: { status: 'completed' } })}
                >
                  Mark as held
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => change.mutate({ method: 'patch', path: '', body: { status: 'cancelled' } })}
                >
                  Cancel
                </Button>
              </>
            ) : null}
            {c.series ? (
              c.series.nextConversationId ? (
                <Button
                  size="xs"
                  variant="light"
                  component={Link}
                  to={`/conversations/${c.series.nextConversationId}`}
                >
                  Next in series
                </Button>
              ) : (
                <Button
                  size="xs"
                  variant="light"
                  onClick={() =>
                    change
                      .mutateAsync({ method: 'post', path: '/next' })
                      .then((next) => navigate(`/conversations/${next.id}`))
                  }
                >
                  Schedule next ({c.series.cadenceDays}-day cadence)
                </Button>
              )
            ) : null}
          </Group>
        }
      />
      {change.isError ? <Alert color="red">{describeError(change.error)}</Alert> : null}
      {c.prompt ? (
        <Text size="sm" c="dimmed" data-testid="prompt-link">
          Prompted by {c.prompt.kind.replace(/_/g, ' ')}{' '}
          {c.prompt.kind === 'coaching_opportunity' && /^[0-9a-f-]{36}$/.test(c.prompt.id) ? (
            <Anchor component={Link} to={`/coaching/opportunities/${c.prompt.id}`} ff="monospace">
              {c.prompt.id}
            </Anchor>
          ) : (
            <Text span ff="monospace">
              {c.prompt.id}
            </Text>
          )}
        </Text>
      ) : null}
      {c.team ? (
        <Text size="sm">
          Debrief of <b>{c.project}</b> with team{' '}
          <Anchor component={Link} to={`/teams/${c.team.id}`}>
            {c.team.name}
          </Anchor>
        </Text>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Agenda c={c} />
            <Actions c={c} />
            <Topics c={c} />
            <RatingSection
              c={c}
              others={others
                .filter((p) => ['manager', 'coach', 'facilitator'].includes(p.role))
                .map((p) => p.name)}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <NotesPanel
              c={c}
              visibility="private"
              heading="Private — only you"
              explanation="Nobody else can read these notes: not the other people in this conversation, not your manager, not HR or administrators."
            />
            <NotesPanel
              c={c}
              visibility="shared"
              heading={`Shared with ${sharedWith}`}
              explanation={`Everyone in this conversation (${sharedWith}) reads these notes. Nobody else can.`}
            />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Agenda({ c }: { c: ConversationDetail }) {
  const change = useConversationChange(c.id);
  const [text, setText] = useState('');
  const move = (index: number, delta: number) => {
    const ids = c.agenda.map((a) => a.id);
    const [item] = ids.splice(index, 1);
    ids.splice(index + delta, 0, item!);
    change.mutate({ method: 'put', path: '/agenda/order', body: { itemIds: ids } });
  };
  return (
    <Section
      title={c.series ? 'Agenda (running agenda of the series — both of you can add)' : 'Agenda'}
      testId="agenda"
    >
      <Stack gap={6}>
        {c.agenda.length === 0 ? (
          <Text size="sm" c="dimmed">
            No agenda items yet.
          </Text>
        ) : null}
        {c.agenda.map((a, i) => (
          <Group key={a.id} wrap="nowrap" gap={6} data-testid="agenda-item">
            <Checkbox
              aria-label={`Discussed: ${a.text}`}
              checked={a.done}
              onChange={(e) =>
                change.mutate({
                  method: 'patch',
                  path: `/agenda/${a.id}`,
                  body: { done: e.currentTarget.checked },
                })
              }
            />
            <Box style={{ flex: 1 }}>
              <Text size="sm" td={a.done ? 'line-through' : undefined}>
                {a.text}
              </Text>
              <Group gap={4}>
                {a.carriedFrom ? (
                  <Badge
                    size="xs"
                    color={a.carriedFrom.kind === 'action' ? 'red' : 'gray'}
                    variant="light"
                    tt="none"
                  >
                    {a.carriedFrom.kind === 'action'
                      ? 'Overdue follow-up carried over'
                      : 'Carried over from last time'}
                  </Badge>
                ) : null}
                {a.addedByName ? (
                  <Text size="xs" c="dimmed">
                    added by {a.addedByName}
                  </Text>
                ) : null}
              </Group>
            </Box>
            <ActionIcon variant="subtle" aria-label="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
              <IconArrowUp size={14} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              aria-label="Move down"
              disabled={i === c.agenda.length - 1}
              onClick={() => move(i, 1)}
            >
              <IconArrowDown size={14} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label="Remove item"
              onClick={() => change.mutate({ method: 'delete', path: `/agenda/${a.id}` })}
            >
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim()) return;
            change.mutate(
              { method: 'post', path: '/agenda', body: { text: text.trim() } },
              { onSuccess: () => setText('') },
            );
          }}
        >
          <Group gap={6} mt={4}>
            <TextInput
              aria-label="New agenda item"
              placeholder="Add an agenda item"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" variant="default" size="sm">
              Add
            </Button>
          </Group>
        </form>
      </Stack>
    </Section>
  );
}

function NotesPanel({
  c,
  visibility,
  heading,
  explanation,
}: {
  c: ConversationDetail;
  visibility: 'private' | 'shared';
  heading: string;
  explanation: string;
}) {
  const change = useConversationChange(c.id);
  const [body, setBody] = useState('');
  const isPrivate = visibility === 'private';
  const notes = c.notes.filter((n) => n.visibility === visibility);
  const color = isPrivate ? 'dark' : 'teal';
  return (
    <Paper
      p="md"
      radius="md"
      data-testid={isPrivate ? 'private-notes' : 'shared-notes'}
      style={{
        border: `2px ${isPrivate ? 'dashed' : 'solid'} var(--mantine-color-${color}-${isPrivate ? 4 : 5})`,
        background: `var(--mantine-color-${isPrivate ? 'gray-1' : 'teal-0'})`,
      }}
    >
      <Group gap={8} mb={4}>
        {isPrivate ? <IconLock size={20} /> : <IconUsers size={20} />}
        <Title order={2} size="h5">
          {heading}
        </Title>
        <Badge color={isPrivate ? 'dark' : 'teal'} variant="filled" tt="none">
          {isPrivate ? 'Private' : 'Shared'}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {explanation}
      </Text>
      <Stack gap="xs">
        {notes.length === 0 ? (
          <Text size="sm" c="dimmed">
            No {visibility} notes yet.
          </Text>
        ) : null}
        {notes.map((n) => (
          <Paper key={n.id} p="xs" radius="sm" withBorder data-testid="note">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.body}
            </Text>
            <Group justify="space-between" mt={4}>
              <Text size="xs" c="dimmed">
                {n.authorName} · {formatDate(n.createdAt)}
              </Text>
              {n.mine ? (
                <Group gap={4}>
                  {isPrivate ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => {
                        if (
                          window.confirm(
                            `Share this note with ${c.participants.map((p) => p.name).join(', ')}? They will be able to read it.`,
                          )
                        ) {
                          change.mutate({
                            method: 'patch',
                            path: `/notes/${n.id}`,
                            body: { visibility: 'shared' },
                          });
                        }
                      }}
                    >
                      Share it…
                    </Button>
                  ) : null}
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => change.mutate({ method: 'delete', path: `/notes/${n.id}` })}
                  >
                    Delete
                  </Button>
                </Group>
              ) : null}
            </Group>
          </Paper>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!body.trim()) return;
            change.mutate(
              { method: 'post', path: '/notes', body: { visibility, body: body.trim() } },
              { onSuccess: () => setBody('') },
            );
          }}
        >
          <Textarea
            label={
              isPrivate
                ? 'New private note (only you will read it)'
                : 'New shared note (everyone in this conversation will read it)'
            }
            autosize
            minRows={3}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Button
            type="submit"
            mt={6}
            size="sm"
            color={color}
            leftSection={isPrivate ? <IconLock size={14} /> : <IconUsers size={14} />}
          >
            {isPrivate ? 'Save private note' : 'Save shared note'}
          </Button>
        </form>
      </Stack>
    </Paper>
  );
}

function Actions({ c }: { c: ConversationDetail }) {
  const change = useConversationChange(c.id);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState<string | null>(
    c.participants.find((p) => p.role !== c.myRole)?.personId ?? c.participants[0]?.personId ?? null,
  );
  const [due, setDue] = useState('');
  return (
    <Section title="Follow-up actions" testId="actions">
      <Stack gap={6}>
        {c.actions.length === 0 ? (
          <Text size="sm" c="dimmed">
            No follow-ups yet.
          </Text>
        ) : null}
        {c.actions.map((a) => (
          <Group key={a.id} wrap="nowrap" gap={6} data-testid="action-item">
            <Checkbox
              aria-label={`Done: ${a.text}`}
              checked={a.done}
              onChange={(e) =>
                change.mutate({
                  method: 'patch',
                  path: `/actions/${a.id}`,
                  body: { done: e.currentTarget.checked },
                })
              }
            />
            <Box style={{ flex: 1 }}>
              <Text size="sm" td={a.done ? 'line-through' : undefined}>
                {a.text}
              </Text>
              <Text size="xs" c="dimmed">
                {a.ownerName} · due {formatDate(a.dueDate)}
                {a.overdue ? (
                  <Badge ml={6} size="xs" color="red" tt="none">
                    Overdue
                  </Badge>
                ) : null}
              </Text>
            </Box>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label="Remove action"
              onClick={() => change.mutate({ method: 'delete', path: `/actions/${a.id}` })}
            >
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim() || !owner) return;
            change.mutate(
              {
                method: 'post',
                path: '/actions',
                body: { text: text.trim(), ownerId: owner, dueDate: due || null },
              },
              {
                onSuccess: () => {
                  setText('');
                  setDue('');
                },
              },
            );
          }}
        >
          <Stack gap={6} mt={4}>
            <TextInput label="New follow-up" value={text} onChange={(e) => setText(e.currentTarget.value)} />
            <Group grow>
              <Select
                label="Owner"
                data={c.participants.map((p) => ({ value: p.personId, label: p.name }))}
                value={owner}
                onChange={setOwner}
                allowDeselect={false}
              />
              <TextInput
                label="Due date"
                type="date"
                value={due}
                onChange={(e) => setDue(e.currentTarget.value)}
              />
            </Group>
            <Button type="submit" variant="default" size="sm">
              Add follow-up
            </Button>
          </Stack>
        </form>
      </Stack>
    </Section>
  );
}

function Topics({ c }: { c: ConversationDetail }) {
  const change = useConversationChange(c.id);
  const catalogue = useTopicCatalogue();
  const options = [
    ...(catalogue.data?.items ?? []),
    ...c.topicDetails.filter((t) => !catalogue.data?.items.some((i) => i.topic === t.topic)),
  ];
  return (
    <Section title="Topics" testId="topics">
      <Text size="xs" c="dimmed" mb={6}>
        {c.topicsEdited
          ? 'Edited by a participant.'
          : 'Tagged automatically from the agenda, follow-ups and shared notes (never private notes). Click to change.'}
      </Text>
      <Chip.Group
        multiple
        value={c.topics}
        onChange={(topics) => change.mutate({ method: 'put', path: '/topics', body: { topics } })}
      >
        <Group gap={6}>
          {options.map((t) => (
            <Chip key={t.topic} value={t.topic} size="xs" color={t.group === 'business' ? 'indigo' : 'teal'}>
              {t.label}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
    </Section>
  );
}

function RatingSection({ c, others }: { c: ConversationDetail; others: string[] }) {
  const rate = useRateConversation(c.id);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  if (!['report', 'coachee', 'member'].includes(c.myRole)) return null;
  return (
    <Section title="How helpful was this conversation?" testId="rating">
      {c.myRating ? (
        <Group>
          <Rating value={c.myRating.score} readOnly />
          <Text size="sm">You rated it {c.myRating.score} of 5.</Text>
        </Group>
      ) : !c.canRate ? (
        <Text size="sm" c="dimmed">
          You can rate it once it has taken place.
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (score < 1) return;
            rate.mutate({ score, comment: comment.trim() || null });
          }}
        >
          <Stack gap={6}>
            <Rating value={score} onChange={setScore} size="lg" aria-label="Helpfulness, 1 to 5" />
            <Textarea
              label="Comment (optional)"
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            <Text size="xs" c="dimmed">
              {others.length ? others.join(', ') : 'The person who led it'} never sees your rating on its own:
              only an average and comments across at least three ratings from three people. A rating cannot be
              changed once sent.
            </Text>
            {rate.isError ? (
              <Text size="sm" c="red">
                {describeError(rate.error)}
              </Text>
            ) : null}
            <Button type="submit" size="sm" disabled={score < 1} loading={rate.isPending}>
              Send rating
            </Button>
          </Stack>
        </form>
      )}
    </Section>
  );
}
