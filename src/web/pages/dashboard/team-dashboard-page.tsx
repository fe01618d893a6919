import { Anchor, Grid, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTeams } from '../../api/org.js';
import { useSignalsStream, useTeamSignals, type EvidenceRequest } from '../../api/signals.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import {
  ControlChart,
  CycleChart,
  EvidenceDrawer,
  FlagList,
  LiveBadge,
  MetricTiles,
  RangePicker,
  ReviewGraphChart,
  Section,
  useRange,
  VIEWER_TZ,
  WeeklyChart,
} from './signals-ui.js';

export function TeamPicker({ value }: { value: string | null }) {
  const teams = useTeams();
  const navigate = useNavigate();
  return (
    <Select
      size="xs"
      w={220}
      searchable
      placeholder="Pick a team"
      aria-label="Team"
      data={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
      value={value}
      onChange={(id) => {
        if (id) void navigate(`/dashboard/teams/${id}`);
      }}
    />
  );
}

/** The team dashboard: velocity, cycle time, quality, collaboration, trends with control bands, flags. */
export function TeamDashboardPage() {
  const { id = '' } = useParams();
  const [range, weeks, setWeeks] = useRange();
  const data = useTeamSignals(id, range);
  const live = useSignalsStream();
  const [evidence, setEvidence] = useState<EvidenceRequest | null>(null);
  if (data.isPending) return <Loading />;
  if (data.isError) return <ErrorNotice error={data.error} title="Cannot open this team’s dashboard" />;
  const d = data.data;
  const labels = Object.fromEntries(d.metrics.map((m) => [m.id, m.label]));
  const explain = (metric: string, from = d.range.from, to = d.range.to) =>
    setEvidence({ metric, scope: 'team', id: d.team.id, from, to });
  const explainSprint = (metric: 'sprint_issues' | 'sprint_points', sprint: string) =>
    setEvidence({ metric, scope: 'team', id: d.team.id, from: d.range.from, to: d.range.to, sprint });
  const description = (id: string) => d.metrics.find((m) => m.id === id)?.description ?? '';
  const pick = (ids: string[]) => d.series.filter((s) => ids.includes(s.metric));
  return (
    <Stack>
      <PageTitle
        title={`${d.team.name} — dashboard`}
        description={`${d.team.memberCount} people. Weeks are UTC ISO weeks (Monday); times in your time zone (${VIEWER_TZ}). Team figures only — people are never ranked.`}
        actions={
          <Group>
            <LiveBadge {...live} />
            <TeamPicker value={d.team.id} />
            <RangePicker value={weeks} onChange={setWeeks} />
          </Group>
        }
      />
      <MetricTiles
        metrics={d.metrics}
        totals={d.totals}
        ids={['prs_merged', 'issues_completed', 'story_points', 'throughput', 'commits', 'reviews_given']}
        explain={explain}
      />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Velocity" description="Items finished per week. Click a bar for its events.">
            <WeeklyChart
              testId="chart-velocity"
              series={pick(['prs_merged', 'issues_completed', 'story_points'])}
              labels={labels}
              onPoint={(m, w) => explain(m, w, w)}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Velocity per sprint" description={description('sprint_issues')}>
            {d.sprints.length === 0 ? (
              <Text size="sm" c="dimmed">
                No issues completed in a sprint in this range.
              </Text>
            ) : (
              <Table fz="sm" data-testid="sprint-velocity">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Sprint</Table.Th>
                    <Table.Th>Dates</Table.Th>
                    <Table.Th>Issues</Table.Th>
                    <Table.Th>Points</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.sprints.map((sp) => (
                    <Table.Tr key={sp.sprintId}>
                      <Table.Td>{sp.name}</Table.Td>
                      <Table.Td>
                        {sp.startedAt ? new Date(sp.startedAt).toLocaleDateString() : '—'} –{' '}
                        {sp.closedAt ? new Date(sp.closedAt).toLocaleDateString() : 'open'}
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          component="button"
                          aria-label={`Why this number? Issues in ${sp.name}`}
                          onClick={() => explainSprint('sprint_issues', sp.sprintId)}
                        >
                          {sp.issues}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          component="button"
                          aria-label={`Why this number? Points in ${sp.name}`}
                          onClick={() => explainSprint('sprint_points', sp.sprintId)}
                        >
                          {sp.points}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Cycle time"
            description="Medians and 85th percentiles per stage, for pull requests merged in the period."
          >
            <CycleChart cycle={d.cycle} onExplain={(m) => explain(m)} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Quality">
            <MetricTiles
              metrics={d.metrics}
              totals={d.totals}
              ids={['reverts', 'bugfix_share', 'changes_requested_per_pr', 'incidents_linked']}
              cols={4}
              explain={explain}
            />
            <WeeklyChart
              testId="chart-quality"
              series={pick(['reverts', 'incidents_linked'])}
              labels={labels}
              onPoint={(m, w) => explain(m, w, w)}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Review graph"
            description="Who reviews whose pull requests; edges to other teams are cross-team reviews."
          >
            <ReviewGraphChart graph={d.graph} />
          </Section>
        </Grid.Col>
        <Grid.Col span={12}>
          <Section
            title="Trends against the team’s baseline"
            description="EWMA (λ = 0.2) with ±3σ control limits from the 12 weeks before the range."
          >
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {d.control.map((c) => (
                <ControlChart key={c.metric} series={c} label={labels[c.metric] ?? c.metric} />
              ))}
            </SimpleGrid>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            title="Flags"
            description="Sustained shifts against the baseline. Individual flags show only for people you may see."
          >
            <FlagList
              flags={d.flags}
              labels={labels}
              onEvidence={(f) =>
                setEvidence({
                  metric: f.evidence.metric,
                  scope: f.subject.type as 'person' | 'team',
                  id: f.subject.id,
                  from: f.evidence.from,
                  to: f.evidence.to,
                })
              }
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Contribution by project and silos">
            <Table fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Project</Table.Th>
                  <Table.Th>Commits</Table.Th>
                  <Table.Th>PRs merged</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.byProject.map((p) => (
                  <Table.Tr key={p.project}>
                    <Table.Td>{p.project}</Table.Td>
                    <Table.Td>{p.commits}</Table.Td>
                    <Table.Td>{p.prsMerged}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" mt="sm">
              {d.silos.singleOwnerAreas.length} of {d.silos.areasTouched} code areas were touched by only one
              person:{' '}
              {d.silos.singleOwnerAreas
                .slice(0, 8)
                .map((a) => a.area)
                .join(', ') || 'none'}
              .
            </Text>
          </Section>
        </Grid.Col>
      </Grid>
      <Text size="sm">
        <Anchor component={Link} to={`/teams/${d.team.id}`}>
          Team page and members
        </Anchor>
      </Text>
      <EvidenceDrawer request={evidence} onClose={() => setEvidence(null)} />
    </Stack>
  );
}
