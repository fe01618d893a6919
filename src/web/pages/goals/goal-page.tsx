import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  List,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  useCheckIn,
  useEvaluate,
  useGoal,
  useGoals,
  useSetParents,
  useUpdateGoal,
  type EvaluationInput,
  type GoalDetail,
} from '../../api/goals.js';
import { formatDate, formatDateTime } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PageTitle } from '../../components/page-title.js';
import { PersonLink, TeamLink } from '../../components/person-link.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { confidenceColor, FlagBadges, GoalLink, LEVEL_LABEL, LevelBadge } from './goal-parts.js';
import { HistoryList } from './goal-history.js';
import { KIND_LABEL, LinkSection } from './goal-link.js';

const ProgressChart = lazy(() => import('./progress-chart.js'));
const RANK = { company: 0, department: 1, team: 2, personal: 3 } as const;

/** One goal: criteria, alignment, progress chart, check-ins, changes and the evaluation. */
export function GoalPage() {
  const { id = '' } = useParams();
  const goal = useGoal(id);
  if (goal.isPending) return <Loading />;
  if (goal.isError) return <ErrorNotice error={goal.error} title="Cannot load this goal" />;
  const d = goal.data;
  const g = d.goal;
  const evaluable = g.status !== 'active' || g.periodEnd <= new Date().toISOString().slice(0, 10);

  return (
    <Stack>
      <nav aria-label="Breadcrumbs">
        <Breadcrumbs separatorMargin={6}>
          <Anchor component={Link} to="/goals">
            Goals
          </Anchor>
          <Text span aria-current="page">
            {g.title}
          </Text>
        </Breadcrumbs>
      </nav>
      <PageTitle
        title={g.title}
        description={
          <Group gap="xs" component="span">
            <LevelBadge level={g.level} />
            <span>
              {g.owner.type === 'person' ? (
                <PersonLink id={g.owner.id}>{g.owner.name}</PersonLink>
              ) : (
                <TeamLink id={g.owner.id}>{g.owner.name}</TeamLink>
              )}{' '}
              · {g.periodLabel} ({formatDate(g.periodStart)} – {formatDate(g.periodEnd)})
            </span>
            <FlagBadges goal={g} />
          </Group>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Paper withBorder p="md" radius="md">
              <Title order={2} size="h4" mb="xs">
                Why it matters
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{g.why}</Text>
              {g.roleExpectations ? (
                <>
                  <Title order={3} size="h6" mt="sm">
                    Role expectations
                  </Title>
                  <Text size="sm">{g.roleExpectations}</Text>
                </>
              ) : null}
              <Title order={2} size="h4" mt="md" mb="xs">
                What success looks like
              </Title>
              <Criteria detail={d} />
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Group justify="space-between">
                <Title order={2} size="h4">
                  Progress
                </Title>
                <Text fw={600} data-testid="goal-progress">
                  {g.progress}%
                </Text>
              </Group>
              {d.link ? (
                <Text size="sm" c="dimmed" data-testid="goal-link-summary">
                  Follows the {KIND_LABEL[d.link.kind]} “{d.link.key}” ({d.link.aggregation})
                  {d.link.lastValue === null
                    ? ': no data for it yet'
                    : d.link.lastRefreshedAt
                      ? `, refreshed ${formatDateTime(d.link.lastRefreshedAt)}`
                      : ''}
                  .
                </Text>
              ) : null}
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <ProgressChart detail={d} />
              </Suspense>
              {d.permissions.canEdit && g.status === 'active' ? (
                // Keyed by the value, so the form starts from what the data (or the last check-in) says now.
                <CheckInForm key={String(g.currentValue)} detail={d} />
              ) : null}
              {d.permissions.canEdit && g.status === 'active' ? <LinkSection detail={d} /> : null}
            </Paper>
            <CheckIns detail={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <AlignmentCard detail={d} />
            {d.permissions.canEdit ? <EditCard detail={d} /> : null}
            {evaluable && (d.evaluations || d.permissions.canEvaluate) ? <EvaluationCard detail={d} /> : null}
            <Paper withBorder p="md" radius="md">
              <Title order={2} size="h4" mb="xs">
                Changes
              </Title>
              <HistoryList goalId={g.id} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Criteria({ detail }: { detail: GoalDetail }) {
  const c = detail.goal.criteria;
  if (c.kind === 'target') {
    return (
      <Text>
        {c.metric}: from {c.start} to <b>{c.target}</b> {c.unit} — now {detail.goal.currentValue ?? c.start}{' '}
        {c.unit}
      </Text>
    );
  }
  return (
    <List spacing={4}>
      {c.levels.map((l) => (
        <List.Item key={l.label}>
          <b>{l.label}</b> — {l.description}
        </List.Item>
      ))}
    </List>
  );
}

function CheckInForm({ detail }: { detail: GoalDetail }) {
  const checkIn = useCheckIn(detail.goal.id);
  const c = detail.goal.criteria;
  const [value, setValue] = useState<number | string>(
    detail.goal.currentValue ?? (c.kind === 'target' ? c.start : 0),
  );
  const [confidence, setConfidence] = useState('4');
  const [blockers, setBlockers] = useState('');
  const [note, setNote] = useState('');
  const errors = fieldErrorsOf(checkIn.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    checkIn.mutate(
      {
        value: Number(value),
        confidence: Number(confidence),
        blockers: blockers || null,
        note: note || null,
      },
      {
        onSuccess: () => {
          notifications.show({ message: 'Check-in saved.', color: 'teal' });
          setBlockers('');
          setNote('');
        },
      },
    );
  }
  return (
    <Stack component="form" onSubmit={submit} gap="xs" mt="md" aria-label="Check in">
      <Title order={3} size="h5">
        Check in
      </Title>
      <Group align="flex-end" grow>
        <NumberInput
          label={c.kind === 'target' ? `${c.metric} now${c.unit ? ` (${c.unit})` : ''}` : 'Progress now (%)'}
          value={value}
          onChange={setValue}
          error={errors.value}
        />
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            Confidence (1–5)
          </Text>
          <SegmentedControl
            value={confidence}
            onChange={setConfidence}
            data={['1', '2', '3', '4', '5']}
            aria-label="Confidence"
          />
        </Stack>
      </Group>
      <TextInput label="Blockers" value={blockers} onChange={(e) => setBlockers(e.currentTarget.value)} />
      <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize />
      <FormError error={checkIn.error} fields={['value']} />
      <Group justify="flex-end">
        <Button type="submit" loading={checkIn.isPending}>
          Save check-in
        </Button>
      </Group>
    </Stack>
  );
}

function CheckIns({ detail }: { detail: GoalDetail }) {
  const rows = [...detail.checkIns].reverse();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="xs">
        Check-ins
      </Title>
      {rows.length ? (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" data-testid="check-ins">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Confidence</Table.Th>
                <Table.Th>Blockers / note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    {formatDate(c.checkedAt.slice(0, 10))}
                    <Text size="xs" c="dimmed">
                      {c.source === 'linked' ? 'from data' : (c.authorLabel ?? '')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {c.value} ({c.progress}%)
                  </Table.Td>
                  <Table.Td>
                    <Badge color={confidenceColor(c.confidence)} variant="light">
                      {c.confidence} / 5
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {c.blockers ? (
                      <Text size="sm" c="red.8">
                        Blocked: {c.blockers}
                      </Text>
                    ) : null}
                    <Text size="sm">{c.note}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text c="dimmed">
          No check-ins yet
          {detail.goal.nextCheckInDue ? `; the first is due ${formatDate(detail.goal.nextCheckInDue)}` : ''}.
        </Text>
      )}
    </Paper>
  );
}

function AlignmentCard({ detail }: { detail: GoalDetail }) {
  const g = detail.goal;
  const [editing, setEditing] = useState(false);
  return (
    <Paper withBorder p="md" radius="md" data-testid="goal-alignment">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Alignment
        </Title>
        {detail.permissions.canEdit && g.level !== 'company' ? (
          <Button size="xs" variant="default" onClick={() => setEditing((v) => !v)}>
            {editing ? 'Close' : 'Change'}
          </Button>
        ) : null}
      </Group>
      {g.level === 'company' ? null : (
        <>
          <Text size="sm" fw={500}>
            Supports
          </Text>
          {detail.parents.length || detail.hiddenParents ? (
            <List size="sm" mb="xs">
              {detail.parents.map((p) => (
                <List.Item key={p.id}>
                  {LEVEL_LABEL[p.level]}: <GoalLink goal={p} /> ({p.ownerName})
                </List.Item>
              ))}
              {detail.hiddenParents ? <List.Item>{detail.hiddenParents} private goal(s)</List.Item> : null}
            </List>
          ) : (
            <Text size="sm" c="orange.8" mb="xs">
              Nothing yet: this goal is an orphan.
            </Text>
          )}
        </>
      )}
      <Text size="sm" fw={500}>
        Supported by
      </Text>
      {detail.children.length ? (
        <List size="sm">
          {detail.children.map((c) => (
            <List.Item key={c.id}>
              {LEVEL_LABEL[c.level]}: <GoalLink goal={c} /> ({c.ownerName})
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          No goals support this one yet.
        </Text>
      )}
      <Group mt="xs">
        <Anchor component={Link} to={`/goals/new?parent=${g.id}`} size="sm">
          Add a supporting goal
        </Anchor>
        {g.owner.type === 'person' ? (
          <Anchor component={Link} to={`/goals/alignment?person=${g.owner.id}`} size="sm">
            How {g.owner.name}’s goals reach company strategy
          </Anchor>
        ) : null}
      </Group>
      {editing ? <ParentsForm detail={detail} onDone={() => setEditing(false)} /> : null}
    </Paper>
  );
}

function ParentsForm({ detail, onDone }: { detail: GoalDetail; onDone: () => void }) {
  const g = detail.goal;
  const candidates = useGoals({ scope: 'all', status: 'active' });
  const setParents = useSetParents(g.id);
  const [parentIds, setParentIds] = useState(detail.parents.map((p) => p.id));
  const [reason, setReason] = useState('');
  const options = (candidates.data?.items ?? [])
    .filter((c) => c.id !== g.id && RANK[c.level] <= RANK[g.level])
    .map((c) => ({ value: c.id, label: `${LEVEL_LABEL[c.level]}: ${c.title} (${c.owner.name})` }));
  const errors = fieldErrorsOf(setParents.error);
  return (
    <Stack
      component="form"
      gap="xs"
      mt="sm"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        setParents.mutate({ parentIds, ...(reason && { reason }) }, { onSuccess: onDone });
      }}
    >
      <MultiSelect
        label="Supports"
        data={options}
        value={parentIds}
        onChange={setParentIds}
        searchable
        error={errors.parentIds}
      />
      <TextInput
        label="Reason"
        description="Required once the goal has check-ins."
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={errors.reason}
      />
      <FormError error={setParents.error} fields={['parentIds', 'reason']} />
      <Button type="submit" size="xs" loading={setParents.isPending}>
        Save alignment
      </Button>
    </Stack>
  );
}

function EditCard({ detail }: { detail: GoalDetail }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button variant="default" onClick={() => setOpen(true)}>
        Modify this goal
      </Button>
    );
  }
  // Mounted when opened, so the form starts from the goal as it is now (not as the page first loaded it).
  return <EditForm detail={detail} setOpen={setOpen} />;
}

function EditForm({ detail, setOpen }: { detail: GoalDetail; setOpen: (open: boolean) => void }) {
  const g = detail.goal;
  const update = useUpdateGoal(g.id);
  const [title, setTitle] = useState(g.title);
  const [why, setWhy] = useState(g.why);
  const [roleExpectations, setRoleExpectations] = useState(g.roleExpectations ?? '');
  const [cadence, setCadence] = useState<string>(g.cadence);
  const [periodStart, setPeriodStart] = useState(g.periodStart);
  const [target, setTarget] = useState<number | string>(
    g.criteria.kind === 'target' ? g.criteria.target : '',
  );
  const [periodEnd, setPeriodEnd] = useState(g.periodEnd);
  const [status, setStatus] = useState<string>(g.status);
  const [reason, setReason] = useState('');
  const errors = fieldErrorsOf(update.error);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack
        component="form"
        gap="xs"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          update.mutate(
            {
              title,
              why,
              roleExpectations: roleExpectations.trim() || null,
              cadence: cadence as GoalDetail['goal']['cadence'],
              periodStart,
              periodEnd,
              status: status as GoalDetail['goal']['status'],
              ...(g.criteria.kind === 'target' && { criteria: { ...g.criteria, target: Number(target) } }),
              ...(reason && { reason }),
            },
            { onSuccess: () => setOpen(false) },
          );
        }}
      >
        <Title order={2} size="h4">
          Modify
        </Title>
        <TextInput
          label="Goal"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={errors.title}
        />
        <Textarea
          label="Why it matters"
          value={why}
          onChange={(e) => setWhy(e.currentTarget.value)}
          autosize
          error={errors.why}
        />
        <Textarea
          label="Role expectations"
          value={roleExpectations}
          onChange={(e) => setRoleExpectations(e.currentTarget.value)}
          autosize
        />
        {g.criteria.kind === 'target' ? (
          <NumberInput
            label={`Target (${g.criteria.metric})`}
            value={target}
            onChange={setTarget}
            error={errors.criteria}
          />
        ) : null}
        <Group grow>
          <TextInput
            label="Period starts"
            type="date"
            value={periodStart}
            onChange={(e) => setPeriodStart(e.currentTarget.value)}
            error={errors.periodStart}
          />
          <TextInput
            label="Period ends"
            type="date"
            value={periodEnd}
            onChange={(e) => setPeriodEnd(e.currentTarget.value)}
            error={errors.periodEnd}
          />
        </Group>
        <Select
          label="Check-in cadence"
          data={[
            { value: 'weekly', label: 'Weekly' },
            { value: 'biweekly', label: 'Every two weeks' },
            { value: 'monthly', label: 'Monthly' },
          ]}
          value={cadence}
          onChange={(v) => v && setCadence(v)}
        />
        <Select
          label="Status"
          data={['draft', 'active', 'completed', 'abandoned']}
          value={status}
          onChange={(v) => v && setStatus(v)}
        />
        <Textarea
          label="Why the change"
          description="Required once the goal has check-ins; kept in the history."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
        />
        <FormError
          error={update.error}
          fields={['title', 'why', 'criteria', 'periodStart', 'periodEnd', 'reason']}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

const RATINGS: { value: EvaluationInput['rating']; label: string }[] = [
  { value: 'exceeded', label: 'Exceeded' },
  { value: 'met', label: 'Met' },
  { value: 'partially_met', label: 'Partially met' },
  { value: 'not_met', label: 'Not met' },
];

function EvaluationCard({ detail }: { detail: GoalDetail }) {
  const g = detail.goal;
  const evaluate = useEvaluate(g.id);
  const role = detail.permissions.evaluationRole;
  const mine = detail.evaluations?.find((e) => e.role === role);
  const [rating, setRating] = useState<string>(mine?.rating ?? 'met');
  const [rubricLevel, setRubricLevel] = useState<string | null>(mine?.rubricLevel ?? null);
  const [finalValue, setFinalValue] = useState<number | string>(mine?.finalValue ?? g.currentValue ?? '');
  const [comment, setComment] = useState(mine?.comment ?? '');
  const errors = fieldErrorsOf(evaluate.error);
  return (
    <Paper withBorder p="md" radius="md" data-testid="goal-evaluation">
      <Title order={2} size="h4">
        Evaluation
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        Development data: only the owner and their management chain see it, never compensation or HR reviews.
      </Text>
      {(detail.evaluations ?? []).map((e) => (
        <Stack key={e.role} gap={2} mb="xs">
          <Text size="sm" fw={600}>
            {e.role === 'owner' ? 'Self-assessment' : 'Manager assessment'}:{' '}
            {RATINGS.find((r) => r.value === e.rating)?.label}
            {e.rubricLevel ? ` (${e.rubricLevel})` : e.finalValue !== null ? ` (${e.finalValue})` : ''}
          </Text>
          <Text size="sm">{e.comment}</Text>
          <Text size="xs" c="dimmed">
            {e.authorLabel}, {formatDateTime(e.updatedAt)}
          </Text>
        </Stack>
      ))}
      {role ? (
        <Stack
          component="form"
          gap="xs"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            evaluate.mutate({
              rating: rating as EvaluationInput['rating'],
              comment,
              ...(g.criteria.kind === 'rubric'
                ? { rubricLevel }
                : { finalValue: finalValue === '' ? null : Number(finalValue) }),
            });
          }}
        >
          <Text size="sm" fw={500}>
            Your {role === 'owner' ? 'self-assessment' : 'assessment as manager'}
          </Text>
          <Select
            label="Outcome against the criteria"
            data={RATINGS}
            value={rating}
            onChange={(v) => v && setRating(v)}
          />
          {g.criteria.kind === 'rubric' ? (
            <Select
              label="Rubric level reached"
              data={g.criteria.levels.map((l) => l.label)}
              value={rubricLevel}
              onChange={setRubricLevel}
              error={errors.rubricLevel}
            />
          ) : (
            <NumberInput label={`Final ${g.criteria.metric}`} value={finalValue} onChange={setFinalValue} />
          )}
          <Textarea
            label="Comment"
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={2}
            error={errors.comment}
          />
          <FormError error={evaluate.error} fields={['rubricLevel', 'comment']} />
          <Button type="submit" size="xs" loading={evaluate.isPending}>
            Save evaluation
          </Button>
        </Stack>
      ) : null}
    </Paper>
  );
}
