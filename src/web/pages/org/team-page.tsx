import {
  Anchor,
  Badge,
  Breadcrumbs,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePerson, useTeam, useTeams } from '../../api/org.js';
import type { PersonCard } from '../../api/types.js';
import { PersonLink, TeamLink } from '../../components/person-link.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { KIND_LABEL, KindIcon, memberLabel, totalMembers } from './org-tree-page.js';

export function TeamPage() {
  const { id = '' } = useParams();
  const team = useTeam(id);
  const allTeams = useTeams();
  const totals = allTeams.data ? totalMembers(allTeams.data.items) : new Map<string, number>();

  if (team.isPending) return <Loading />;
  if (team.isError) return <ErrorNotice error={team.error} title="Cannot load this team" />;
  const { team: t, path, children, members } = team.data;
  const byId = new Map(members.map((m) => [m.id, m]));
  const ancestors = path.filter((p) => p.id !== t.id);

  return (
    <Stack>
      <nav aria-label="Breadcrumbs">
        <Breadcrumbs separatorMargin={6}>
          <Anchor component={Link} to="/org">
            Organisation
          </Anchor>
          {ancestors.map((p) => (
            <TeamLink key={p.id} id={p.id}>
              {p.name}
            </TeamLink>
          ))}
          <Text span aria-current="page">
            {t.name}
          </Text>
        </Breadcrumbs>
      </nav>
      <PageTitle
        title={t.name}
        description={
          <Group gap="xs" component="span">
            <KindIcon kind={t.kind} />
            <span>
              {KIND_LABEL[t.kind]} ·{' '}
              {memberLabel(t.memberCount, totals.get(t.id) ?? t.memberCount, children.length > 0)}
            </span>
          </Group>
        }
      />
      {t.description ? (
        <Text maw={760} mt={-8}>
          {t.description}
        </Text>
      ) : null}

      {children.length > 0 ? (
        <Stack gap="xs">
          <Title order={2} size="h4">
            Sub-teams
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="sub-teams">
            {children.map((c) => (
              <Paper key={c.id} withBorder p="md" radius="md">
                <Group gap="xs" wrap="nowrap">
                  <KindIcon kind={c.kind} />
                  <TeamLink id={c.id}>{c.name}</TeamLink>
                </Group>
                <Text size="sm" c="dimmed" mt={4}>
                  {KIND_LABEL[c.kind]} ·{' '}
                  {memberLabel(
                    c.memberCount,
                    totals.get(c.id) ?? c.memberCount,
                    (totals.get(c.id) ?? 0) > c.memberCount,
                  )}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
        </Stack>
      ) : null}

      <Stack gap="xs">
        <Title order={2} size="h4">
          Members
        </Title>
        {members.length === 0 ? (
          <Text c="dimmed">Nobody belongs to this {KIND_LABEL[t.kind].toLowerCase()} directly.</Text>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover verticalSpacing="sm" data-testid="team-members">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Title</Table.Th>
                    <Table.Th>Manager</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {members.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        <Group gap={6}>
                          <PersonLink id={m.id}>{m.name}</PersonLink>
                          {!m.active ? (
                            <Badge size="xs" color="gray">
                              left
                            </Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>{m.title ?? <Text c="dimmed">—</Text>}</Table.Td>
                      <Table.Td>
                        <ManagerName member={m} known={byId} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </Stack>
    </Stack>
  );
}

/** The member's manager: from the team when they are in it, else looked up (cached across rows). */
function ManagerName({ member, known }: { member: PersonCard; known: Map<string, PersonCard> }) {
  const local = member.managerId ? known.get(member.managerId) : undefined;
  const remote = usePerson(member.managerId && !local ? member.managerId : null);
  if (!member.managerId) return <Text c="dimmed">—</Text>;
  const name = local?.name ?? remote.data?.person.name;
  return <PersonLink id={member.managerId}>{name ?? 'Manager'}</PersonLink>;
}
