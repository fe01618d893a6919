import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tree,
  getTreeExpandedState,
  useTree,
  type TreeNodeData,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconBuilding,
  IconBuildingCommunity,
  IconChevronRight,
  IconSearch,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { usePeopleSearch, useTeams } from '../../api/org.js';
import type { TeamKind, TeamSummary } from '../../api/types.js';
import { PersonLink, TeamLink } from '../../components/person-link.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

const KIND_ORDER: Record<TeamKind, number> = { company: 0, department: 1, team: 2 };
export const KIND_LABEL: Record<TeamKind, string> = {
  company: 'Company',
  department: 'Department',
  team: 'Team',
};

/** Nests the flat team list by parentId; a team whose parent is unknown becomes a root. */
export function buildTeamTree(teams: TeamSummary[]): TreeNodeData[] {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map<string | null, TeamSummary[]>();
  for (const team of teams) {
    const parent = team.parentId && ids.has(team.parentId) ? team.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(team);
    children.set(parent, list);
  }
  const nodes = (parent: string | null): TreeNodeData[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name))
      .map((t) => {
        const kids = nodes(t.id);
        return { value: t.id, label: t.name, ...(kids.length ? { children: kids } : {}) };
      });
  return nodes(null);
}

/** Members of each team including everyone in the teams below it. */
export function totalMembers(teams: TeamSummary[]): Map<string, number> {
  const children = new Map<string, TeamSummary[]>();
  for (const t of teams) {
    if (!t.parentId) continue;
    const list = children.get(t.parentId) ?? [];
    list.push(t);
    children.set(t.parentId, list);
  }
  const totals = new Map<string, number>();
  const visit = (t: TeamSummary, seen: Set<string>): number => {
    const known = totals.get(t.id);
    if (known !== undefined) return known;
    if (seen.has(t.id)) return 0; // a cycle in bad data must not hang the page
    seen.add(t.id);
    const total = t.memberCount + (children.get(t.id) ?? []).reduce((sum, c) => sum + visit(c, seen), 0);
    totals.set(t.id, total);
    return total;
  };
  for (const t of teams) visit(t, new Set());
  return totals;
}

export function memberLabel(direct: number, total: number, hasChildren: boolean): string {
  const noun = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
  return hasChildren ? `${noun(total)} in all · ${direct} directly` : noun(direct);
}

export function KindIcon({ kind }: { kind: TeamKind }) {
  if (kind === 'company') return <IconBuilding size={18} aria-hidden="true" />;
  if (kind === 'department') return <IconBuildingCommunity size={18} aria-hidden="true" />;
  return <IconUsersGroup size={18} aria-hidden="true" />;
}

export function OrgTreePage() {
  const teams = useTeams();
  return (
    <Stack>
      <PageTitle
        title="Organisation"
        description="Teams from the company down, with how many people work in each. Open a team to see its members, or search for a person."
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" radius="md">
            {teams.isPending ? (
              <Loading />
            ) : teams.isError ? (
              <ErrorNotice error={teams.error} title="Cannot load the teams" />
            ) : teams.data.items.length === 0 ? (
              <Text c="dimmed">
                No teams yet. An administrator can import the organisation from an HRIS export.
              </Text>
            ) : (
              <TeamTree teams={teams.data.items} />
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <PeopleSearch />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function TeamTree({ teams }: { teams: TeamSummary[] }) {
  const data = useMemo(() => buildTeamTree(teams), [teams]);
  const byId = useMemo(() => new Map(teams.map((t) => [t.id, t])), [teams]);
  const totals = useMemo(() => totalMembers(teams), [teams]);
  const tree = useTree({ initialExpandedState: getTreeExpandedState(data, '*') });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Team hierarchy
        </Title>
        <Group gap="xs">
          <Button size="compact-sm" variant="subtle" onClick={() => tree.expandAllNodes()}>
            Expand all
          </Button>
          <Button size="compact-sm" variant="subtle" onClick={() => tree.collapseAllNodes()}>
            Collapse all
          </Button>
        </Group>
      </Group>
      <Tree
        data={data}
        tree={tree}
        expandOnClick={false}
        selectOnClick={false}
        levelOffset={28}
        aria-label="Team hierarchy"
        data-testid="org-tree"
        renderNode={({ node, expanded, hasChildren, elementProps, tree: controller }) => {
          const team = byId.get(node.value);
          if (!team) return null;
          return (
            <Group gap={6} wrap="nowrap" py={3} {...elementProps} onClick={undefined}>
              {hasChildren ? (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`${expanded ? 'Collapse' : 'Expand'} ${team.name}`}
                  aria-expanded={expanded}
                  onClick={() => controller.toggleExpanded(node.value)}
                >
                  <IconChevronRight
                    size={16}
                    style={{
                      transform: expanded ? 'rotate(90deg)' : undefined,
                      transition: 'transform 120ms',
                    }}
                  />
                </ActionIcon>
              ) : (
                <Box w={22} />
              )}
              <KindIcon kind={team.kind} />
              <Anchor component={Link} to={`/teams/${team.id}`} fw={team.kind === 'team' ? 400 : 600}>
                {team.name}
              </Anchor>
              <Badge size="xs" variant="light" color={team.kind === 'team' ? 'gray' : 'teal'}>
                {KIND_LABEL[team.kind]}
              </Badge>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {memberLabel(team.memberCount, totals.get(team.id) ?? team.memberCount, hasChildren)}
              </Text>
            </Group>
          );
        }}
      />
    </Stack>
  );
}

function PeopleSearch() {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const people = usePeopleSearch(debounced, debounced.length > 0);
  const items = people.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Find a person
        </Title>
        <TextInput
          placeholder="Name, e-mail or title"
          aria-label="Search people"
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        {debounced.length === 0 ? (
          <Text size="sm" c="dimmed">
            Type part of a name, e-mail or job title.
          </Text>
        ) : people.isPending ? (
          <Loading />
        ) : people.isError ? (
          <ErrorNotice error={people.error} title="Search failed" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nobody matches “{debounced}”.
          </Text>
        ) : (
          <Stack gap={6} data-testid="people-results">
            {items.map((p) => (
              <Box key={p.id} py={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <Group gap={6}>
                  <PersonLink id={p.id}>{p.name}</PersonLink>
                  {!p.active ? (
                    <Badge size="xs" color="gray">
                      left
                    </Badge>
                  ) : null}
                </Group>
                <Text size="xs" c="dimmed">
                  {p.title ?? 'No title'}
                  {p.teamId && p.teamName ? (
                    <>
                      {' · '}
                      <TeamLink id={p.teamId}>{p.teamName}</TeamLink>
                    </>
                  ) : null}
                </Text>
              </Box>
            ))}
            {people.hasNextPage ? (
              <Button
                variant="light"
                size="xs"
                onClick={() => void people.fetchNextPage()}
                loading={people.isFetchingNextPage}
              >
                More results
              </Button>
            ) : null}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
