import { Alert, Anchor, Button, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconBell, IconPlus } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useDismissReminder, useGoals, useReminders, useStalled } from '../../api/goals.js';
import { useSession } from '../../api/session.js';
import { formatDate } from '../../components/dates.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { GoalLink, GoalTable } from './goal-parts.js';

/** My goals, my team's goals (managers) and the way into the alignment view. */
export function GoalsPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const isManager = session.data?.account.isManager ?? false;
  const tab = params.get('tab') ?? 'mine';
  const hasPerson = Boolean(session.data?.account.personId);
  const reminders = useReminders(hasPerson);
  const dismiss = useDismissReminder();

  return (
    <Stack>
      <PageTitle
        title="Goals"
        description="Set expectations, align them to company strategy, measure and modify with check-ins, and evaluate the outcome against the criteria written up front."
        actions={
          <Group>
            <Button component={Link} to="/goals/alignment" variant="default">
              Alignment view
            </Button>
            <Button component={Link} to="/goals/new" leftSection={<IconPlus size={18} />}>
              New goal
            </Button>
          </Group>
        }
      />
      {reminders.data?.items.length ? (
        <Alert icon={<IconBell size={18} />} color="blue" title="Check-ins due">
          <Stack gap={4}>
            {reminders.data.items.map((r) => (
              <Group key={r.id} gap="xs">
                <GoalLink goal={{ id: r.goalId, title: r.goalTitle }} />
                <Text size="sm" c="dimmed">
                  due {formatDate(r.dueOn)}
                </Text>
                <Anchor component="button" size="sm" onClick={() => dismiss.mutate(r.id)}>
                  Dismiss
                </Anchor>
              </Group>
            ))}
          </Stack>
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'mine' ? { tab: v } : {})}>
        <Tabs.List>
          <Tabs.Tab value="mine">My goals</Tabs.Tab>
          {isManager ? <Tabs.Tab value="team">My team’s goals</Tabs.Tab> : null}
          <Tabs.Tab value="all">All goals</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mine" pt="md">
          <GoalList
            scope="mine"
            empty="You have no goals yet. Set one and align it under your team’s goals."
          />
        </Tabs.Panel>
        {isManager ? (
          <Tabs.Panel value="team" pt="md">
            <Stack>
              <StalledPanel />
              <GoalList scope="team" empty="Nobody in your teams has a goal yet." />
            </Stack>
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="all" pt="md">
          <GoalList scope="all" empty="No goals yet." />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function GoalList({ scope, empty }: { scope: 'mine' | 'team' | 'all'; empty: string }) {
  const goals = useGoals({ scope });
  if (goals.isPending) return <Loading />;
  if (goals.isError) return <ErrorNotice error={goals.error} title="Cannot load goals" />;
  return <GoalTable goals={goals.data.items} empty={empty} />;
}

function StalledPanel() {
  const stalled = useStalled(true);
  if (!stalled.data?.items.length) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="stalled-goals">
      <Title order={2} size="h5" mb="xs">
        Stalled goals — a moment to coach
      </Title>
      <Stack gap={6}>
        {stalled.data.items.map((s) => (
          <Group key={s.goal.id} gap="xs" wrap="nowrap" align="baseline">
            <GoalLink goal={s.goal} />
            <Text size="sm" c="dimmed">
              {s.goal.owner.name} · {s.detail}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
