import {
  Alert,
  Anchor,
  Avatar,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconCalendarPlus, IconLock, IconMail } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { usePerson, usePersonProfile } from '../../api/org.js';
import { useSession } from '../../api/session.js';
import type { PersonCard, PersonProfile } from '../../api/types.js';
import { formatDate } from '../../components/dates.js';
import { PersonLink, TeamLink } from '../../components/person-link.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { WorkStyleLink } from '../profiles/work-style-page.js';
import { CoachingEngagementsSection } from './coaching-engagements.js';

const WORK_MODE_LABEL: Record<string, string> = { onsite: 'On-site', remote: 'Remote', hybrid: 'Hybrid' };

/** The sentence shown instead of the private section to anyone outside the person's circle. */
export function privateNotice(name: string): string {
  return `This page is private to ${name}, their management chain and HR.`;
}

export function PersonPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const detail = usePerson(id);
  const canView = detail.data?.canViewProfile === true;
  const profile = usePersonProfile(id, canView);

  if (detail.isPending) return <Loading />;
  if (detail.isError) return <ErrorNotice error={detail.error} title="Cannot load this person" />;
  const { person, manager, reports } = detail.data;
  const isMe = session.data?.account.personId === person.id;

  return (
    <Stack>
      <PageTitle
        title={person.name}
        description={
          <>
            {person.title ?? 'No title'}
            {person.teamId && person.teamName ? (
              <>
                {' · '}
                <TeamLink id={person.teamId}>{person.teamName}</TeamLink>
              </>
            ) : null}
          </>
        }
        actions={
          <Group gap="sm">
            {canView ? (
              <Anchor component={Link} to={`/dashboard/people/${person.id}`} data-testid="signals-link">
                Signals
              </Anchor>
            ) : null}
            {isMe ? (
              <Badge size="lg" variant="light">
                This is you
              </Badge>
            ) : (
              <Button
                component={Link}
                to={`/conversations/new?with=${person.id}`}
                variant="light"
                leftSection={<IconCalendarPlus size={16} />}
              >
                Schedule a conversation
              </Button>
            )}
            <WorkStyleLink personId={person.id} isMe={isMe} />
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <DirectoryCard person={person} manager={manager} reports={reports} />
            <CoachingEngagementsSection personId={person.id} personName={person.name} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {!canView || profile.data?.denied ? (
            <Alert
              color="gray"
              variant="light"
              icon={<IconLock size={20} />}
              title="Private page"
              data-testid="private-notice"
            >
              <Text>{privateNotice(person.name)}</Text>
              <Text size="sm" c="dimmed" mt={4}>
                You see the directory card that everyone in the organisation sees. Employment details and
                reporting history stay with {person.name}, their managers and HR.
              </Text>
            </Alert>
          ) : profile.isPending ? (
            <Loading />
          ) : profile.isError ? (
            <ErrorNotice error={profile.error} title="Cannot load the private section" />
          ) : (
            <PrivateSection profile={profile.data.profile} isMe={isMe} />
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function DirectoryCard({
  person,
  manager,
  reports,
}: {
  person: PersonCard;
  manager: PersonCard | null;
  reports: PersonCard[];
}) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid="directory-card">
      <Stack gap="md">
        <Group wrap="nowrap">
          <Avatar size="lg" radius="xl" color="teal">
            {person.name
              .split(/\s+/)
              .map((s) => s[0] ?? '')
              .join('')
              .slice(0, 2)
              .toUpperCase()}
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text fw={700}>{person.name}</Text>
              {person.active ? null : <Badge color="gray">Left the organisation</Badge>}
            </Group>
            <Anchor href={`mailto:${person.email}`} size="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconMail size={14} />
                {person.email}
              </Group>
            </Anchor>
          </div>
        </Group>
        <Field label="Title">{person.title ?? '—'}</Field>
        <Field label="Team" testId="field-team">
          {person.teamId && person.teamName ? <TeamLink id={person.teamId}>{person.teamName}</TeamLink> : '—'}
        </Field>
        <Field label="Manager" testId="field-manager">
          {manager ? (
            <>
              <PersonLink id={manager.id}>{manager.name}</PersonLink>
              {manager.title ? <Text span c="dimmed" size="sm">{` · ${manager.title}`}</Text> : null}
            </>
          ) : (
            'No manager'
          )}
        </Field>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Direct reports ({reports.length})
          </Text>
          {reports.length === 0 ? (
            <Text size="sm">None</Text>
          ) : (
            <Stack gap={2} mt={4} data-testid="direct-reports">
              {reports.map((r) => (
                <Text key={r.id} size="sm">
                  <PersonLink id={r.id}>{r.name}</PersonLink>
                  {r.title ? <Text span c="dimmed" size="sm">{` · ${r.title}`}</Text> : null}
                </Text>
              ))}
            </Stack>
          )}
        </div>
      </Stack>
    </Paper>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function PrivateSection({ profile, isMe }: { profile: PersonProfile; isMe: boolean }) {
  const attributes = Object.entries(profile.attributes ?? {});
  return (
    <Paper withBorder p="lg" radius="md" data-testid="private-section">
      <Stack gap="lg">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={2} size="h4">
            Employment details
          </Title>
          <Badge
            color="violet"
            variant="light"
            leftSection={<IconLock size={12} />}
            style={{ flexShrink: 0 }}
          >
            Private
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" mt={-12}>
          {isMe
            ? 'Only you, your management chain and HR see this section.'
            : `Only ${profile.name}, their management chain and HR see this section. Your reading it is recorded in the audit log.`}
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Field label="Employee ID">{profile.employeeId ?? '—'}</Field>
          <Field label="Level">{profile.level ?? '—'}</Field>
          <Field label="Hire date">{formatDate(profile.hireDate)}</Field>
          <Field label="Left">
            {profile.leaveDate
              ? `${formatDate(profile.leaveDate)}${profile.leaveReason ? ` (${profile.leaveReason})` : ''}`
              : 'Still here'}
          </Field>
          <Field label="Location">{profile.location ?? '—'}</Field>
          <Field label="Time zone">{profile.timeZone}</Field>
          <Field label="Work mode">{profile.workMode ? WORK_MODE_LABEL[profile.workMode] : '—'}</Field>
        </SimpleGrid>

        <div>
          <Title order={3} size="h5" mb={6}>
            Segments
          </Title>
          <Group gap={6}>
            {(
              [
                ['Department', profile.segments.department],
                ['Level', profile.segments.level],
                ['Tenure', profile.segments.tenureBand],
                ['Location', profile.segments.location],
                [
                  'Work mode',
                  profile.segments.workMode
                    ? (WORK_MODE_LABEL[profile.segments.workMode] ?? profile.segments.workMode)
                    : null,
                ],
              ] as const
            ).map(([label, value]) => (
              <Badge key={label} variant="outline" color="gray" tt="none">
                {label}: {value ?? '—'}
              </Badge>
            ))}
          </Group>
        </div>

        {attributes.length > 0 ? (
          <div>
            <Title order={3} size="h5" mb={6}>
              Other attributes
            </Title>
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {attributes.map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td c="dimmed" w="40%">
                      {k}
                    </Table.Td>
                    <Table.Td>{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ) : null}

        <div>
          <Title order={3} size="h5" mb={6}>
            Management chain{' '}
            <Text span size="xs" c="dimmed">
              (nearest first)
            </Text>
          </Title>
          {profile.skipLevelChain.length === 0 ? (
            <Text size="sm">No managers above.</Text>
          ) : (
            <Text size="sm" component="div" data-testid="management-chain">
              {profile.skipLevelChain.map((m, i) => (
                <span key={m.id}>
                  {i > 0 ? ' → ' : ''}
                  <PersonLink id={m.id}>{m.name}</PersonLink>
                </span>
              ))}
            </Text>
          )}
        </div>

        <div>
          <Title order={3} size="h5" mb={6}>
            Reporting history
          </Title>
          {profile.reportingHistory.length === 0 ? (
            <Text size="sm">No reporting lines recorded.</Text>
          ) : (
            <Table verticalSpacing={4} data-testid="reporting-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Manager</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>Until</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {profile.reportingHistory.map((h) => (
                  <Table.Tr key={`${h.managerId}-${h.validFrom}`}>
                    <Table.Td>
                      <PersonLink id={h.managerId}>{h.managerName}</PersonLink>
                    </Table.Td>
                    <Table.Td>{formatDate(h.validFrom)}</Table.Td>
                    <Table.Td>{h.validTo ? formatDate(h.validTo) : 'now'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
