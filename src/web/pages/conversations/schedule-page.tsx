import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconCalendarPlus, IconLink } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.js';
import {
  KIND_LABEL,
  useCreateConversation,
  useMyConversations,
  type ConversationKind,
} from '../../api/conversations.js';
import { usePeopleSearch, usePerson, useTeams } from '../../api/org.js';
import { PageTitle } from '../../components/page-title.js';
import { isoToZonedLocal, zonedLocalToIso } from './time-zone.js';

const KINDS = Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }));

/**
 * Schedules a conversation. Entry points pass what they know in the query string: `with` (a person),
 * `kind`, and a generic prompt link `promptKind` + `promptId` (e.g. a coaching opportunity), which
 * the conversation keeps as "what prompted it".
 */
export function SchedulePage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const create = useCreateConversation();
  const tz = useMyConversations({ limit: 1 });
  const timeZone = tz.data?.viewerTimeZone ?? 'UTC';
  const prompt =
    params.get('promptKind') && params.get('promptId')
      ? { kind: params.get('promptKind')!, id: params.get('promptId')! }
      : null;

  const [kind, setKind] = useState<ConversationKind>(
    (params.get('kind') as ConversationKind | null) ?? 'one_on_one',
  );
  const [withId, setWithId] = useState<string | null>(params.get('with'));
  const [search, setSearch] = useState('');
  const [when, setWhen] = useState(() => {
    const t = new Date(Date.now() + 86_400_000);
    t.setUTCMinutes(0, 0, 0);
    return t.toISOString();
  });
  const [duration, setDuration] = useState<number>(30);
  const [recurring, setRecurring] = useState(false);
  const [cadence, setCadence] = useState<string>('14');
  const [occurrences, setOccurrences] = useState<number>(6);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [project, setProject] = useState('');
  const [title, setTitle] = useState(params.get('title') ?? '');
  const [agenda, setAgenda] = useState(params.get('agenda') ?? '');

  const person = usePerson(withId);
  const people = usePeopleSearch(search, search.length >= 2);
  const teams = useTeams();
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrors : {};

  const personOptions = [
    ...(person.data ? [{ value: person.data.person.id, label: person.data.person.name }] : []),
    ...(people.data?.pages.flatMap((p) => p.items) ?? [])
      .filter((p) => p.id !== withId)
      .map((p) => ({ value: p.id, label: `${p.name}${p.title ? ` · ${p.title}` : ''}` })),
  ];

  const submit = () => {
    create.mutate(
      {
        kind,
        withPersonIds: kind === 'debrief' ? [] : withId ? [withId] : [],
        scheduledAt: when,
        durationMinutes: duration,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(kind === 'debrief'
          ? { ...(teamId ? { teamId } : {}), ...(project.trim() ? { project: project.trim() } : {}) }
          : {}),
        ...(kind === 'one_on_one' && recurring ? { cadenceDays: Number(cadence), occurrences } : {}),
        ...(prompt ? { prompt } : {}),
        ...(agenda.trim()
          ? {
              agenda: agenda
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            }
          : {}),
      },
      { onSuccess: (c) => navigate(`/conversations/${c.id}`) },
    );
  };

  return (
    <Stack maw={640}>
      <PageTitle title="Schedule a conversation" description={`Times are in your time zone, ${timeZone}.`} />
      {prompt ? (
        <Alert icon={<IconLink size={16} />} color="blue" data-testid="prompt-notice">
          Prompted by {prompt.kind.replace(/_/g, ' ')}{' '}
          <Text span ff="monospace">
            {prompt.id}
          </Text>
          ; the conversation keeps this link.
        </Alert>
      ) : null}
      <Paper withBorder p="lg" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack>
            <Select
              label="Kind"
              data={KINDS}
              value={kind}
              onChange={(v) => v && setKind(v as ConversationKind)}
              allowDeselect={false}
            />
            {kind === 'debrief' ? (
              <>
                <Select
                  label="Team"
                  searchable
                  data={(teams.data?.items ?? [])
                    .filter((t) => t.kind === 'team')
                    .map((t) => ({ value: t.id, label: t.name }))}
                  value={teamId}
                  onChange={setTeamId}
                  error={fieldErrors.teamId}
                />
                <TextInput
                  label="Project"
                  value={project}
                  onChange={(e) => setProject(e.currentTarget.value)}
                  error={fieldErrors.project}
                />
              </>
            ) : (
              <Select
                label={
                  kind === 'one_on_one'
                    ? 'With (your report or your manager)'
                    : kind === 'upward'
                      ? 'Your manager'
                      : kind === 'external'
                        ? 'Your external coach or coachee'
                        : 'With'
                }
                searchable
                data={personOptions}
                value={withId}
                onChange={setWithId}
                searchValue={search}
                onSearchChange={setSearch}
                nothingFoundMessage={search.length < 2 ? 'Type a name' : 'Nobody found'}
                error={fieldErrors.withPersonIds}
                data-testid="with-person"
              />
            )}
            <Group grow>
              <TextInput
                label={`Date and time (${timeZone})`}
                type="datetime-local"
                value={isoToZonedLocal(when, timeZone)}
                onChange={(e) =>
                  e.currentTarget.value && setWhen(zonedLocalToIso(e.currentTarget.value, timeZone))
                }
                error={fieldErrors.scheduledAt}
              />
              <NumberInput
                label="Duration (minutes)"
                min={5}
                max={480}
                step={5}
                value={duration}
                onChange={(v) => setDuration(Number(v) || 30)}
              />
            </Group>
            {kind === 'one_on_one' ? (
              <Group align="flex-end">
                <Checkbox
                  label="Recurring series"
                  checked={recurring}
                  onChange={(e) => setRecurring(e.currentTarget.checked)}
                />
                {recurring ? (
                  <>
                    <Select
                      label="Every"
                      data={[
                        { value: '7', label: 'week' },
                        { value: '14', label: 'two weeks' },
                        { value: '28', label: 'four weeks' },
                      ]}
                      value={cadence}
                      onChange={(v) => v && setCadence(v)}
                      allowDeselect={false}
                      w={140}
                    />
                    <NumberInput
                      label="Meetings to schedule"
                      min={1}
                      max={26}
                      value={occurrences}
                      onChange={(v) => setOccurrences(Number(v) || 1)}
                      w={160}
                    />
                  </>
                ) : null}
              </Group>
            ) : null}
            <TextInput
              label="Title (optional)"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label="First agenda items (optional, one per line)"
              autosize
              minRows={2}
              value={agenda}
              onChange={(e) => setAgenda(e.currentTarget.value)}
            />
            {create.isError ? <Alert color="red">{describeError(create.error)}</Alert> : null}
            <Group>
              <Button type="submit" leftSection={<IconCalendarPlus size={16} />} loading={create.isPending}>
                Schedule
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
