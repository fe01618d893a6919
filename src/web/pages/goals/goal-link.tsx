import {
  Autocomplete,
  Button,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import {
  useLinkKeys,
  useRefreshLink,
  useRemoveLink,
  useSetLink,
  type GoalDetail,
  type GoalLinkInput,
} from '../../api/goals.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';

type Kind = GoalLinkInput['kind'];
type Aggregation = NonNullable<GoalLinkInput['aggregation']>;

export const KIND_LABEL: Record<Kind, string> = { business_metric: 'business metric', signal: 'signal' };

const AGGREGATIONS: { value: Aggregation; label: string }[] = [
  { value: 'sum', label: 'Total over the period' },
  { value: 'latest', label: 'Latest value' },
  { value: 'average', label: 'Average' },
  { value: 'max', label: 'Highest value' },
  { value: 'count', label: 'Count' },
];

/**
 * Linked progress on the goal page: follow a business metric or a signal of the goal's owner, so
 * progress updates itself as data arrives; refresh now or stop following. Target goals only.
 */
export function LinkSection({ detail }: { detail: GoalDetail }) {
  const g = detail.goal;
  const [editing, setEditing] = useState(false);
  const refresh = useRefreshLink(g.id);
  const remove = useRemoveLink(g.id);
  const [reason, setReason] = useState('');
  const needsReason = detail.checkIns.length > 0;
  if (g.criteria.kind !== 'target') return null;

  if (detail.link && !editing) {
    return (
      <Stack gap="xs" mt="md" data-testid="goal-link">
        <Title order={3} size="h5">
          Progress from data
        </Title>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            loading={refresh.isPending}
            onClick={() =>
              refresh.mutate(undefined, {
                onSuccess: (r) =>
                  notifications.show({
                    message: r.items.length ? r.items[0]!.reason : 'Already up to date with the data.',
                    color: 'teal',
                  }),
              })
            }
          >
            Refresh now
          </Button>
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Change link
          </Button>
        </Group>
        <Group align="flex-end" gap="xs">
          {needsReason ? (
            <TextInput
              size="xs"
              label="Why stop following"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={fieldErrorsOf(remove.error).reason}
            />
          ) : null}
          <Button
            size="xs"
            variant="subtle"
            color="red"
            loading={remove.isPending}
            onClick={() => remove.mutate(reason || undefined)}
          >
            Stop following
          </Button>
        </Group>
        <FormError error={remove.error ?? refresh.error} fields={['reason']} />
      </Stack>
    );
  }
  return <LinkForm detail={detail} onDone={() => setEditing(false)} />;
}

function LinkForm({ detail, onDone }: { detail: GoalDetail; onDone: () => void }) {
  const g = detail.goal;
  const keys = useLinkKeys();
  const setLink = useSetLink(g.id);
  const [kind, setKind] = useState<Kind>(detail.link?.kind ?? 'business_metric');
  const [key, setKey] = useState(detail.link?.key ?? '');
  const [aggregation, setAggregation] = useState<Aggregation>(detail.link?.aggregation ?? 'sum');
  const [reason, setReason] = useState('');
  const errors = fieldErrorsOf(setLink.error);
  const offered = keys.data?.kinds.find((k) => k.kind === kind);
  const options = (offered?.keys ?? []).map((k) => ({
    value: k.key,
    label: k.label === k.key ? k.key : `${k.label} (${k.key})`,
  }));
  const needsReason = detail.checkIns.length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    setLink.mutate(
      { kind, key: key.trim(), aggregation, ...(reason && { reason }) },
      {
        onSuccess: (d) => {
          notifications.show({
            message: `Progress now follows the ${KIND_LABEL[kind]} “${key.trim()}”${
              d.link?.lastValue === null ? ' (no data for it yet)' : ''
            }.`,
            color: 'teal',
          });
          setReason('');
          onDone();
        },
      },
    );
  }

  return (
    <Stack component="form" gap="xs" mt="md" onSubmit={submit} aria-label="Follow data">
      <Title order={3} size="h5">
        Progress from data
      </Title>
      <Text size="xs" c="dimmed">
        Follow a business metric or a work signal of {g.owner.name}; progress then updates itself as data
        arrives, and every move is kept in the history. Everyone who can read this goal sees the value.
      </Text>
      <SegmentedControl
        value={kind}
        onChange={(v) => {
          setKind(v as Kind);
          setKey('');
        }}
        data={[
          { value: 'business_metric', label: 'Business metric' },
          { value: 'signal', label: 'Signal' },
        ]}
        aria-label="Follow"
      />
      {offered && !offered.available ? (
        <Text size="xs" c="orange.8">
          Nothing provides {KIND_LABEL[kind]} data in this installation yet; the link waits for it.
        </Text>
      ) : null}
      <Group grow align="flex-start">
        {kind === 'signal' ? (
          <Select
            label="Signal"
            data={options}
            value={key || null}
            onChange={(v) => setKey(v ?? '')}
            searchable
            required
            error={errors.key}
          />
        ) : (
          <Autocomplete
            label="Business metric"
            description="A metric imported from your metrics file, or one still to come."
            data={options.map((o) => o.value)}
            value={key}
            onChange={setKey}
            required
            error={errors.key}
          />
        )}
        <Select
          label="Aggregation"
          data={AGGREGATIONS}
          value={aggregation}
          onChange={(v) => v && setAggregation(v as Aggregation)}
        />
      </Group>
      {needsReason ? (
        <TextInput
          label="Why follow this data"
          description="Required once the goal has check-ins; kept in the history."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
        />
      ) : null}
      <FormError error={setLink.error} fields={['key', 'reason']} />
      <Group justify="flex-end" gap="xs">
        {detail.link ? (
          <Button variant="default" size="xs" onClick={onDone}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" size="xs" loading={setLink.isPending} disabled={!key.trim()}>
          Follow this data
        </Button>
      </Group>
    </Stack>
  );
}
