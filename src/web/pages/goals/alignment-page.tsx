import { Anchor, Box, Group, Paper, Select, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAlignment, type GoalSummary } from '../../api/goals.js';
import { useSession } from '../../api/session.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { FlagBadges, GoalLink, LevelBadge, ProgressCell } from './goal-parts.js';

/**
 * The alignment view: company goals at the roots, the department, team and personal goals that support
 * them nested below. A goal that supports several parents appears under each. Orphans (supporting
 * nothing) are listed apart so they can be aligned.
 */
export function AlignmentPage() {
  const session = useSession();
  const me = session.data?.account.personId ?? null;
  const [period, setPeriod] = useState<string | null>(null);
  const [mine, setMine] = useState(false);
  // `?person=<id>`: the chains from one person's goals (linked from a personal goal's page).
  const [params] = useSearchParams();
  const person = params.get('person');
  const personId = person ?? (mine && me ? me : undefined);
  const view = useAlignment({ period: period ?? undefined, personId });
  const personName = person
    ? view.data?.nodes.find((n) => n.owner.type === 'person' && n.owner.id === person)?.owner.name
    : undefined;

  return (
    <Stack>
      <PageTitle
        title="Alignment"
        description="How every goal reaches company strategy: company → department → team → person. Orphan goals support nothing yet; unsupported company goals have nothing working towards them."
      />
      <Group>
        <Select
          label="Period"
          data={view.data?.periods ?? []}
          value={period ?? null}
          placeholder="Current period"
          onChange={setPeriod}
          clearable
          w={220}
        />
        {person ? (
          <Text mt="lg" size="sm" data-testid="alignment-person">
            Only the chains from {personName ?? 'one person'}’s goals ·{' '}
            <Anchor component={Link} to="/goals/alignment">
              show everyone’s
            </Anchor>
          </Text>
        ) : me ? (
          <Switch
            mt="lg"
            label="Only the chains from my goals"
            checked={mine}
            onChange={(e) => setMine(e.currentTarget.checked)}
          />
        ) : null}
      </Group>
      {view.isPending ? (
        <Loading />
      ) : view.isError ? (
        <ErrorNotice error={view.error} />
      ) : (
        <Tree nodes={view.data.nodes} hidden={view.data.hiddenCount} />
      )}
    </Stack>
  );
}

function Tree({ nodes, hidden }: { nodes: GoalSummary[]; hidden: number }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, GoalSummary[]>();
  for (const n of nodes) {
    for (const p of n.parentIds) if (byId.has(p)) children.set(p, [...(children.get(p) ?? []), n]);
  }
  const rank = { company: 0, department: 1, team: 2, personal: 3 } as const;
  const sort = (a: GoalSummary, b: GoalSummary) =>
    rank[a.level] - rank[b.level] || a.title.localeCompare(b.title);
  const roots = nodes.filter((n) => n.level === 'company').sort(sort);
  const orphans = nodes.filter((n) => n.flags.includes('orphan')).sort(sort);
  const underHidden = nodes
    .filter((n) => n.parentIds.length > 0 && n.parentIds.every((p) => !byId.has(p)))
    .sort(sort);

  const render = (node: GoalSummary, path: string[]): React.ReactNode => {
    const kids = (children.get(node.id) ?? []).sort(sort);
    const others = node.parentIds.filter((p) => p !== path.at(-1) && byId.has(p));
    return (
      <Box
        key={`${path.join('/')}/${node.id}`}
        component="li"
        data-testid="alignment-node"
        data-goal-id={node.id}
        data-level={node.level}
        style={{ listStyle: 'none' }}
      >
        <Paper withBorder radius="sm" px="sm" py={6} my={4}>
          <Group gap="xs" justify="space-between" wrap="wrap">
            <Group gap="xs">
              <LevelBadge level={node.level} />
              <GoalLink goal={node} />
              <Text size="sm" c="dimmed">
                {node.owner.name}
              </Text>
              <FlagBadges goal={node} />
            </Group>
            <ProgressCell goal={node} />
          </Group>
          {others.length ? (
            <Text size="xs" c="dimmed">
              Also supports {others.map((p) => `“${byId.get(p)!.title}”`).join(', ')}
            </Text>
          ) : null}
        </Paper>
        {kids.length && !path.includes(node.id) ? (
          <Box component="ul" pl="lg" m={0} style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
            {kids.map((k) => render(k, [...path, node.id]))}
          </Box>
        ) : null}
      </Box>
    );
  };

  return (
    <Stack gap="md">
      {roots.length ? (
        <Box component="ul" p={0} m={0} aria-label="Goal tree" data-testid="alignment-tree">
          {roots.map((r) => render(r, []))}
        </Box>
      ) : (
        <Text c="dimmed">No company goals in this period yet.</Text>
      )}
      {underHidden.length ? (
        <Stack gap={4}>
          <Text fw={600}>Supporting goals you cannot see</Text>
          <Box component="ul" p={0} m={0}>
            {underHidden.map((n) => render(n, ['hidden']))}
          </Box>
        </Stack>
      ) : null}
      {orphans.length ? (
        <Stack gap={4} data-testid="orphan-goals">
          <Text fw={600}>Orphan goals — not aligned to anything yet</Text>
          <Box component="ul" p={0} m={0}>
            {orphans.map((n) => render(n, ['orphans']))}
          </Box>
        </Stack>
      ) : null}
      {hidden > 0 ? (
        <Text size="sm" c="dimmed">
          {hidden} private {hidden === 1 ? 'goal is' : 'goals are'} not shown.
        </Text>
      ) : null}
    </Stack>
  );
}
