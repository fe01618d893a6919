import {
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useCreateGoal, useGoals, type GoalCreateInput, type GoalSummary } from '../../api/goals.js';
import { usePerson, useTeams } from '../../api/org.js';
import { useSession } from '../../api/session.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PageTitle } from '../../components/page-title.js';
import { LEVEL_LABEL } from './goal-parts.js';

const RANK = { company: 0, department: 1, team: 2, personal: 3 } as const;

/** The calendar quarters around today, for the period picker. */
export function quarters(today = new Date()): { label: string; start: string; end: string }[] {
  const out = [];
  let year = today.getUTCFullYear();
  let q = Math.floor(today.getUTCMonth() / 3);
  for (let i = 0; i < 3; i++) {
    const start = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const endMonth = q * 3 + 3;
    const end = new Date(Date.UTC(year, endMonth, 0)).toISOString().slice(0, 10);
    out.push({ label: `${year}-Q${q + 1}`, start, end });
    q += 1;
    if (q === 4) {
      q = 0;
      year += 1;
    }
  }
  return out;
}

export function GoalNewPage() {
  const session = useSession();
  const teams = useTeams();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const create = useCreateGoal();
  const me = session.data?.account.personId ?? null;
  // A manager may also set a personal goal for one of their direct reports.
  const mePerson = usePerson(session.data?.account.isManager ? me : null);
  const thisYear = new Date().getUTCFullYear();
  const periods = [
    ...quarters(),
    { label: String(thisYear), start: `${thisYear}-01-01`, end: `${thisYear}-12-31` },
  ];

  const [owner, setOwner] = useState<string | null>(params.get('owner') ?? (me ? `person:${me}` : null));
  const [title, setTitle] = useState('');
  const [why, setWhy] = useState('');
  const [roleExpectations, setRoleExpectations] = useState('');
  const [kind, setKind] = useState<'target' | 'rubric'>('target');
  const [metric, setMetric] = useState('');
  const [unit, setUnit] = useState('');
  const [start, setStart] = useState<number | string>(0);
  const [target, setTarget] = useState<number | string>(100);
  const [levels, setLevels] = useState('Not yet: \nMet: \nExceeded: ');
  const [period, setPeriod] = useState<string>(periods[0]!.label);
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [cadence, setCadence] = useState<'weekly' | 'biweekly' | 'monthly'>('weekly');
  const [parentIds, setParentIds] = useState<string[]>(params.get('parent') ? [params.get('parent')!] : []);

  const ownerTeam = owner?.startsWith('team:')
    ? teams.data?.items.find((t) => t.id === owner.slice(5))
    : undefined;
  const level: GoalSummary['level'] = ownerTeam ? ownerTeam.kind : 'personal';
  const candidates = useGoals({ scope: 'all', status: 'active' });
  const parentOptions = (candidates.data?.items ?? [])
    .filter((g) => RANK[g.level] <= RANK[level] && level !== 'company')
    .map((g) => ({
      value: g.id,
      label: `${LEVEL_LABEL[g.level]}: ${g.title} (${g.owner.name}, ${g.periodLabel})`,
    }));

  const ownerOptions = [
    ...(me ? [{ value: `person:${me}`, label: 'Me — a personal goal' }] : []),
    ...(mePerson.data?.reports ?? [])
      .filter((r) => r.active)
      .map((r) => ({ value: `person:${r.id}`, label: `Personal goal for ${r.name}` })),
    ...(teams.data?.items ?? [])
      .slice()
      .sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.name.localeCompare(b.name))
      .map((t) => ({ value: `team:${t.id}`, label: `${LEVEL_LABEL[t.kind]}: ${t.name}` })),
  ];
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!owner) return;
    const [type, id] = owner.split(':') as ['person' | 'team', string];
    const p = periods.find((x) => x.label === period)!;
    const criteria: GoalCreateInput['criteria'] =
      kind === 'target'
        ? { kind: 'target', metric, unit, start: Number(start), target: Number(target) }
        : {
            kind: 'rubric',
            levels: levels
              .split('\n')
              .map((line) => line.split(':'))
              .filter((parts) => parts[0]?.trim())
              .map(([label, ...rest]) => ({
                label: label!.trim(),
                description: rest.join(':').trim() || label!.trim(),
              })),
          };
    create.mutate(
      {
        owner: { type, id },
        title,
        why,
        criteria,
        roleExpectations: roleExpectations.trim() || null,
        periodLabel: p.label,
        periodStart: p.start,
        periodEnd: p.end,
        visibility,
        cadence,
        parentIds,
      },
      {
        onSuccess: (detail) => {
          notifications.show({ message: `Goal “${detail.goal.title}” set.`, color: 'teal' });
          void navigate(`/goals/${detail.goal.id}`);
        },
      },
    );
  }

  return (
    <Stack maw={760}>
      <PageTitle
        title="New goal"
        description="Write what success looks like before the work starts: the SAME model’s Set step."
      />
      <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit}>
        <Stack>
          <Select
            label="Owner"
            data={ownerOptions}
            value={owner}
            onChange={setOwner}
            searchable
            required
            error={errors.owner}
          />
          <TextInput
            label="Goal"
            description="One sentence: the outcome, not the activity."
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
            error={errors.title}
          />
          <Textarea
            label="Why it matters"
            value={why}
            onChange={(e) => setWhy(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            error={errors.why}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              What success looks like
            </Text>
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as 'target' | 'rubric')}
              data={[
                { value: 'target', label: 'A measurable target' },
                { value: 'rubric', label: 'A rubric' },
              ]}
            />
          </Stack>
          {kind === 'target' ? (
            <Group grow align="flex-start">
              <TextInput
                label="Metric"
                value={metric}
                onChange={(e) => setMetric(e.currentTarget.value)}
                required
                error={errors.criteria}
              />
              <TextInput
                label="Unit"
                value={unit}
                onChange={(e) => setUnit(e.currentTarget.value)}
                placeholder="%, EUR, PRs…"
              />
              <NumberInput label="Start" value={start} onChange={setStart} required />
              <NumberInput label="Target" value={target} onChange={setTarget} required />
            </Group>
          ) : (
            <Textarea
              label="Rubric levels"
              description="One level per line: label, a colon, what it looks like."
              value={levels}
              onChange={(e) => setLevels(e.currentTarget.value)}
              autosize
              minRows={3}
              error={errors.criteria}
            />
          )}
          <Textarea
            label="Role expectations"
            description="The expectations of the role this goal sits in (optional)."
            value={roleExpectations}
            onChange={(e) => setRoleExpectations(e.currentTarget.value)}
            autosize
          />
          <Group grow align="flex-start">
            <Select
              label="Period"
              data={periods.map((p) => p.label)}
              value={period}
              onChange={(v) => v && setPeriod(v)}
              error={errors.periodEnd}
            />
            <Select
              label="Check-in cadence"
              data={[
                { value: 'weekly', label: 'Weekly' },
                { value: 'biweekly', label: 'Every two weeks' },
                { value: 'monthly', label: 'Monthly' },
              ]}
              value={cadence}
              onChange={(v) => v && setCadence(v as typeof cadence)}
            />
            <Select
              label="Visibility"
              data={[
                { value: 'public', label: 'Public to the organisation' },
                { value: 'private', label: 'Private: owner and management chain' },
              ]}
              value={visibility}
              onChange={(v) => v && setVisibility(v as typeof visibility)}
            />
          </Group>
          {level !== 'company' ? (
            <MultiSelect
              label="Supports"
              description="The goals this one helps achieve (a goal may support several)."
              data={parentOptions}
              value={parentIds}
              onChange={setParentIds}
              searchable
              error={errors.parentIds}
            />
          ) : null}
          <FormError
            error={create.error}
            fields={['owner', 'title', 'why', 'criteria', 'periodEnd', 'parentIds']}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              Set goal
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
