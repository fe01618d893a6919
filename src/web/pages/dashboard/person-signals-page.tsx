import { Alert, Anchor, Grid, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { usePersonSignals, useSignalsStream, type EvidenceRequest } from '../../api/signals.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import {
  ControlChart,
  CycleChart,
  EvidenceDrawer,
  FlagList,
  formatValue,
  LiveBadge,
  MetricTiles,
  RangePicker,
  Section,
  useRange,
  VIEWER_TZ,
  WeeklyChart,
} from './signals-ui.js';

/** A person's signals: their series against their own baseline, skills, glue work and flags. */
export function PersonSignalsPage() {
  const { id = '' } = useParams();
  const [range, weeks, setWeeks] = useRange();
  const data = usePersonSignals(id, range);
  const live = useSignalsStream();
  const [evidence, setEvidence] = useState<EvidenceRequest | null>(null);
  if (data.isPending) return <Loading />;
  if (data.isError) {
    if (data.error instanceof ApiError && data.error.status === 403)
      return (
        <Alert color="gray" title="These signals are private" data-testid="signals-denied">
          A person’s signals are visible only to them, their management chain and administrators.
        </Alert>
      );
    return <ErrorNotice error={data.error} title="Cannot load these signals" />;
  }
  const d = data.data;
  const labels = Object.fromEntries(d.metrics.map((m) => [m.id, m.label]));
  const explain = (metric: string, from = d.range.from, to = d.range.to) =>
    setEvidence({ metric, scope: 'person', id: d.person.id, from, to });
  return (
    <Stack>
      <PageTitle
        title={`${d.person.name} — signals`}
        description={`Against their own baseline, never against colleagues. Weeks are UTC ISO weeks; times in your time zone (${VIEWER_TZ}).`}
        actions={
          <Group>
            <LiveBadge {...live} />
            <RangePicker value={weeks} onChange={setWeeks} />
          </Group>
        }
      />
      <Text size="sm">
        <Anchor component={Link} to={`/people/${d.person.id}`}>
          Person page
        </Anchor>
        {d.person.teamId ? (
          <>
            {' · '}
            <Anchor component={Link} to={`/dashboard/teams/${d.person.teamId}`}>
              Team dashboard
            </Anchor>
          </>
        ) : null}
      </Text>
      <MetricTiles
        metrics={d.metrics}
        totals={d.totals}
        ids={[
          'prs_merged',
          'issues_completed',
          'commits',
          'reviews_given',
          'bugfix_share',
          'changes_requested_per_pr',
        ]}
        explain={explain}
      />
      <Grid>
        <Grid.Col span={12}>
          <Section
            title="Against their baseline"
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
          <Section title="Flags">
            <FlagList
              flags={d.flags}
              labels={labels}
              onEvidence={(f) => explain(f.evidence.metric, f.evidence.from, f.evidence.to)}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Glue work" description="Reviews given on other people’s pull requests.">
            <Text>
              {formatValue(d.glue.reviewsGiven, '')} reviews given · {formatValue(d.glue.prsMerged, '')} own
              pull requests merged
              {d.glue.teamReviewShare !== null
                ? ` · ${formatValue(d.glue.teamReviewShare, 'share')} of the team’s reviews`
                : ''}
            </Text>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Skills trajectory: areas" description="Commits touching each area, week by week.">
            <WeeklyChart
              series={d.skills.areas.slice(0, 6).map((a) => ({ metric: a.name, points: a.points }))}
              labels={{}}
              onPoint={(_m, w) => explain('skills', w, w)}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section title="Skills trajectory: languages">
            <WeeklyChart
              series={d.skills.languages.slice(0, 6).map((a) => ({ metric: a.name, points: a.points }))}
              labels={{}}
              onPoint={(_m, w) => explain('skills', w, w)}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={12}>
          <Section title="Cycle time of their pull requests">
            <CycleChart cycle={d.cycle} onExplain={(m) => explain(m)} />
          </Section>
        </Grid.Col>
      </Grid>
      <EvidenceDrawer request={evidence} onClose={() => setEvidence(null)} />
    </Stack>
  );
}
