import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconUserCheck } from '@tabler/icons-react';
import { useState } from 'react';
import {
  useCoachingEngagements,
  useEndEngagement,
  useStartEngagement,
  type CoachingEngagement,
} from '../../api/engagements.js';
import { usePeopleSearch } from '../../api/org.js';
import { formatDate } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PersonLink } from '../../components/person-link.js';

const KIND_LABEL: Record<CoachingEngagement['kind'], string> = {
  external: 'External coaching',
  peer: 'Peer coaching',
  upward: 'Upward coaching',
};

const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Who coaches the person: shown to the person, their coaches, their HR partner and administrators
 * (the server decides; for anyone else the section does not appear). HR partners and administrators
 * start and end external coaching here. What is said in coaching never shows here.
 */
export function CoachingEngagementsSection({
  personId,
  personName,
}: {
  personId: string;
  personName: string;
}) {
  const engagements = useCoachingEngagements(personId);
  if (!engagements.data) return null;
  const { items, canManage } = engagements.data;
  return (
    <Paper withBorder p="lg" radius="md" data-testid="coaching-engagements">
      <Stack gap="sm">
        <Group gap={8}>
          <IconUserCheck size={18} />
          <Title order={2} size="h4">
            Coaching
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          Who coaches {personName} and since when. Only {personName}, their coaches, their HR partner and
          administrators see this list; what is said in coaching stays between coach and coachee.
        </Text>
        {items.length === 0 ? (
          <Text size="sm">No coaching engagements.</Text>
        ) : (
          <Stack gap="xs">
            {items.map((e) => (
              <EngagementRow key={e.id} engagement={e} personId={personId} canManage={canManage} />
            ))}
          </Stack>
        )}
        {canManage ? <StartEngagementForm personId={personId} /> : null}
      </Stack>
    </Paper>
  );
}

function EngagementRow({
  engagement: e,
  personId,
  canManage,
}: {
  engagement: CoachingEngagement;
  personId: string;
  canManage: boolean;
}) {
  const end = useEndEngagement(personId);
  const endOn = e.validFrom >= today() ? dayAfter(e.validFrom) : today();
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="engagement-row">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            <PersonLink id={e.coach.id}>{e.coach.name}</PersonLink>
          </Text>
          {e.coach.title ? (
            <Text size="xs" c="dimmed">
              {e.coach.title}
            </Text>
          ) : null}
          <Text size="sm" mt={4}>
            {KIND_LABEL[e.kind]} · {formatDate(e.validFrom)} –{' '}
            {e.validTo ? formatDate(e.validTo) : 'open-ended'}
          </Text>
        </div>
        {e.active ? (
          <Badge color="teal" variant="light" size="sm" style={{ flexShrink: 0 }}>
            Active
          </Badge>
        ) : e.validFrom > today() ? (
          <Badge color="blue" variant="light" size="sm" style={{ flexShrink: 0 }}>
            Starts later
          </Badge>
        ) : (
          <Badge color="gray" variant="light" size="sm" style={{ flexShrink: 0 }}>
            Ended
          </Badge>
        )}
      </Group>
      {canManage && e.validTo === null ? (
        <Button
          mt={6}
          size="compact-xs"
          variant="subtle"
          color="red"
          loading={end.isPending}
          onClick={() => end.mutate({ id: e.id, validTo: endOn })}
          title={`The coach loses access from ${formatDate(endOn)}`}
        >
          End on {formatDate(endOn)}
        </Button>
      ) : null}
      {end.error ? (
        <Text size="xs" c="red" role="alert">
          {end.error.message}
        </Text>
      ) : null}
    </Paper>
  );
}

function StartEngagementForm({ personId }: { personId: string }) {
  const start = useStartEngagement(personId);
  const [search, setSearch] = useState('');
  const [coachId, setCoachId] = useState<string | null>(null);
  const [validFrom, setValidFrom] = useState(today());
  const [validTo, setValidTo] = useState('');
  const people = usePeopleSearch(search, search.length >= 2);
  const errors = fieldErrorsOf(start.error);
  const options = (people.data?.pages.flatMap((p) => p.items) ?? [])
    .filter((p) => p.id !== personId)
    .map((p) => ({ value: p.id, label: `${p.name}${p.title ? ` · ${p.title}` : ''}` }));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!coachId) return;
        start.mutate(
          { coachPersonId: coachId, validFrom, ...(validTo ? { validTo } : {}) },
          {
            onSuccess: () => {
              setCoachId(null);
              setSearch('');
              setValidTo('');
            },
          },
        );
      }}
    >
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          Start external coaching
        </Text>
        <Text size="xs" c="dimmed">
          The coach needs a person record in Cairn (and an account to sign in). From the start date, coach and
          coachee can schedule external-coaching conversations that only the two of them read.
        </Text>
        <Select
          label="Coach"
          searchable
          data={options}
          value={coachId}
          onChange={setCoachId}
          searchValue={search}
          onSearchChange={setSearch}
          nothingFoundMessage={search.length < 2 ? 'Type a name' : 'Nobody found'}
          error={errors.coachPersonId}
          data-testid="engagement-coach"
        />
        <Group align="flex-end" grow>
          <TextInput
            label="From"
            type="date"
            value={validFrom}
            onChange={(e) => setValidFrom(e.currentTarget.value)}
            error={errors.validFrom}
          />
          <TextInput
            label="Until (optional)"
            type="date"
            value={validTo}
            onChange={(e) => setValidTo(e.currentTarget.value)}
            error={errors.validTo}
          />
        </Group>
        <FormError error={start.error} fields={['coachPersonId', 'validFrom', 'validTo']} />
        <Group>
          <Button type="submit" disabled={!coachId} loading={start.isPending} data-testid="engagement-start">
            Start coaching
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
