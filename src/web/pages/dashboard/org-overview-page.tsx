import { Alert, Anchor, Group, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import { Link, Navigate } from 'react-router';
import { ApiError } from '../../api/client.js';
import { usePerson } from '../../api/org.js';
import { useSession } from '../../api/session.js';
import { useOrgSignals, useSignalsStream, type EvidenceRequest } from '../../api/signals.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import {
  CycleChart,
  EvidenceDrawer,
  formatValue,
  LiveBadge,
  MetricTiles,
  RangePicker,
  Section,
  useRange,
  VIEWER_TZ,
  WeeklyChart,
} from './signals-ui.js';
import { TeamPicker } from './team-dashboard-page.js';

/** Where a viewer without the org overview goes: their own team's dashboard. */
function OwnTeam() {
  const session = useSession();
  const person = usePerson(session.data?.account.personId ?? null);
  if (session.isPending || person.isPending) return <Loading />;
  const teamId = person.data?.person.teamId;
  if (teamId) return <Navigate to={`/dashboard/teams/${teamId}`} replace />;
  return (
    <Alert color="gray" title="No dashboard for you yet">
      The merit dashboard shows teams to their members and management chain. Pick a team you belong to or
      manage.
      <Group mt="sm">
        <TeamPicker value={null} />
      </Group>
    </Alert>
  );
}

/** Org overview: team-level figures only, teams in name order (never a ranking). */
export function OrgOverviewPage() {
  const [range, weeks, setWeeks] = useRange();
  const data = useOrgSignals(range);
  const live = useSignalsStream();
  const [evidence, setEvidence] = useState<EvidenceRequest | null>(null);
  if (data.isPending) return <Loading />;
  if (data.isError) {
    if (data.error instanceof ApiError && data.error.status === 403) return <OwnTeam />;
    return <ErrorNotice error={data.error} />;
  }
  const d = data.data;
  const labels = Object.fromEntries(d.metrics.map((m) => [m.id, m.label]));
  const explain = (metric: string, from = d.range.from, to = d.range.to) =>
    setEvidence({ metric, scope: 'org', id: null, from, to });
  const cols = ['prs_merged', 'issues_completed', 'story_points', 'reviews_given', 'bugfix_share'];
  return (
    <Stack>
      <PageTitle
        title="Merit dashboard"
        description={`The whole organisation. Weeks are UTC ISO weeks; times in your time zone (${VIEWER_TZ}).`}
        actions={
          <Group>
            <LiveBadge {...live} />
            <TeamPicker value={null} />
            <RangePicker value={weeks} onChange={setWeeks} />
          </Group>
        }
      />
      <MetricTiles
        metrics={d.metrics}
        totals={d.totals}
        ids={['prs_merged', 'issues_completed', 'throughput', 'commits', 'reviews_given', 'bugfix_share']}
        explain={explain}
      />
      <Section title="Velocity">
        <WeeklyChart
          testId="chart-velocity"
          series={d.series.filter((s) => ['prs_merged', 'issues_completed'].includes(s.metric))}
          labels={labels}
          onPoint={(m, w) => explain(m, w, w)}
        />
      </Section>
      <Section title="Cycle time">
        <CycleChart cycle={d.cycle} onExplain={(m) => explain(m)} />
      </Section>
      <Section title="Teams" description="In name order. Open a team for its dashboard.">
        <Table striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Team</Table.Th>
              <Table.Th>People</Table.Th>
              {cols.map((c) => (
                <Table.Th key={c}>{labels[c]}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.teams.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/dashboard/teams/${t.id}`}>
                    {t.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t.memberCount}</Table.Td>
                {cols.map((c) => (
                  <Table.Td key={c}>
                    {formatValue(t.totals[c], d.metrics.find((m) => m.id === c)?.unit ?? '')}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <EvidenceDrawer request={evidence} onClose={() => setEvidence(null)} />
    </Stack>
  );
}
