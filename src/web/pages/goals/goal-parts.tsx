import { Anchor, Badge, Group, Progress, Table, Text, Tooltip } from '@mantine/core';
import { IconLink, IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { GoalSummary } from '../../api/goals.js';

/** Small pieces shared by the goal pages: level badges, flags, progress, a goal table. */

export const LEVEL_LABEL: Record<GoalSummary['level'], string> = {
  company: 'Company',
  department: 'Department',
  team: 'Team',
  personal: 'Personal',
};
const LEVEL_COLOR: Record<GoalSummary['level'], string> = {
  company: 'grape',
  department: 'indigo',
  team: 'blue',
  personal: 'teal',
};

export function LevelBadge({ level }: { level: GoalSummary['level'] }) {
  return (
    <Badge color={LEVEL_COLOR[level]} variant="light" size="sm">
      {LEVEL_LABEL[level]}
    </Badge>
  );
}

export function FlagBadges({
  goal,
}: {
  goal: Pick<GoalSummary, 'flags' | 'visibility' | 'linked' | 'status'>;
}) {
  return (
    <Group gap={4} wrap="nowrap">
      {goal.flags.includes('orphan') ? (
        <Tooltip label="Supports no team, department or company goal">
          <Badge color="orange" variant="outline" size="sm">
            Orphan
          </Badge>
        </Tooltip>
      ) : null}
      {goal.flags.includes('unsupported') ? (
        <Tooltip label="No department, team or personal goal supports it yet">
          <Badge color="orange" variant="outline" size="sm">
            Unsupported
          </Badge>
        </Tooltip>
      ) : null}
      {goal.visibility === 'private' ? (
        <Tooltip label="Private: only the owner and their management chain see it">
          <Badge color="gray" variant="light" size="sm" leftSection={<IconLock size={12} />}>
            Private
          </Badge>
        </Tooltip>
      ) : null}
      {goal.linked ? (
        <Tooltip label="Progress follows a business metric or signal">
          <Badge color="cyan" variant="light" size="sm" leftSection={<IconLink size={12} />}>
            Linked
          </Badge>
        </Tooltip>
      ) : null}
      {goal.status !== 'active' ? (
        <Badge color="gray" variant="outline" size="sm">
          {goal.status}
        </Badge>
      ) : null}
    </Group>
  );
}

export function confidenceColor(c: number | null): string {
  if (c === null) return 'gray';
  return c >= 4 ? 'teal' : c === 3 ? 'yellow' : 'red';
}

export function ProgressCell({ goal }: { goal: Pick<GoalSummary, 'progress' | 'confidence'> }) {
  return (
    <Group gap="xs" wrap="nowrap" miw={140}>
      <Progress
        value={goal.progress}
        color={confidenceColor(goal.confidence)}
        w={90}
        aria-label={`${goal.progress}% done`}
      />
      <Text size="sm">{goal.progress}%</Text>
    </Group>
  );
}

export function GoalLink({ goal }: { goal: { id: string; title: string } }) {
  return (
    <Anchor component={Link} to={`/goals/${goal.id}`}>
      {goal.title}
    </Anchor>
  );
}

export function GoalTable({ goals, empty }: { goals: GoalSummary[]; empty: string }) {
  if (!goals.length) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table verticalSpacing="xs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Goal</Table.Th>
            <Table.Th>Level</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th>Progress</Table.Th>
            <Table.Th>Confidence</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {goals.map((g) => (
            <Table.Tr key={g.id} data-testid="goal-row">
              <Table.Td>
                <Group gap="xs">
                  <GoalLink goal={g} />
                  <FlagBadges goal={g} />
                </Group>
              </Table.Td>
              <Table.Td miw={110}>
                <LevelBadge level={g.level} />
              </Table.Td>
              <Table.Td>{g.owner.name}</Table.Td>
              <Table.Td>{g.periodLabel}</Table.Td>
              <Table.Td>
                <ProgressCell goal={g} />
              </Table.Td>
              <Table.Td>
                {g.confidence === null ? (
                  '—'
                ) : (
                  <Badge color={confidenceColor(g.confidence)} variant="light">
                    {g.confidence} / 5
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
