import {
  Alert,
  Anchor,
  Badge,
  Card,
  Drawer,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconBolt, IconExternalLink } from '@tabler/icons-react';
import EChartsImport from 'echarts-for-react';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  lastWeeks,
  useEvidence,
  type ControlSeriesType,
  type CycleStageType,
  type DateRange,
  type EvidenceRequest,
  type FlagType,
  type MetricInfoType,
  type ReviewGraphType,
} from '../../api/signals.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

// echarts-for-react is CommonJS with an ES default: the bundler hands over the class, the types the module.
const ReactECharts = ((EChartsImport as unknown as { default?: unknown }).default ??
  EChartsImport) as unknown as typeof EChartsImport.default;

export const VIEWER_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone;

const RANGES = [
  { value: '8', label: '8 weeks' },
  { value: '13', label: 'Quarter' },
  { value: '26', label: '6 months' },
  { value: '52', label: 'Year' },
  { value: '78', label: '18 months' },
];

export function useRange(initial = 26): [DateRange, string, (weeks: string) => void] {
  const [weeks, setWeeks] = useState(String(initial));
  const [range, setRange] = useState(() => lastWeeks(initial));
  return [
    range,
    weeks,
    (w: string) => {
      setWeeks(w);
      setRange(lastWeeks(Number(w)));
    },
  ];
}

export function RangePicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <SegmentedControl size="xs" data={RANGES} value={value} onChange={onChange} aria-label="Time range" />
  );
}

export function LiveBadge({ connected, updates }: { connected: boolean; updates: number }) {
  return (
    <Tooltip label={connected ? 'Updates as new work arrives' : 'Reconnecting to live updates…'}>
      <Badge
        variant="light"
        color={connected ? 'teal' : 'gray'}
        leftSection={<IconBolt size={12} />}
        data-testid="live-badge"
        data-updates={updates}
      >
        {connected
          ? `Live${updates > 0 ? ` · ${updates} update${updates === 1 ? '' : 's'}` : ''}`
          : 'Offline'}
      </Badge>
    </Tooltip>
  );
}

export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'share') return `${Math.round(value * 100)} %`;
  if (unit === 'hours') return value >= 48 ? `${(value / 24).toFixed(1)} d` : `${value.toFixed(1)} h`;
  if (Number.isInteger(value)) return value.toLocaleString();
  return value.toFixed(2);
}

/** Monday of a UTC ISO week, in the viewer's locale. */
export function weekLabel(week: string): string {
  return new Date(`${week}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** A number that explains itself: click for the source events. */
export function MetricTile({
  metric,
  value,
  onExplain,
}: {
  metric: MetricInfoType;
  value: number | null | undefined;
  onExplain: () => void;
}) {
  return (
    <UnstyledButton
      onClick={onExplain}
      aria-label={`Why this number? ${metric.label}`}
      data-testid={`metric-${metric.id}`}
    >
      <Card withBorder padding="sm" radius="md" h="100%">
        <Tooltip label={metric.description} multiline w={320} openDelay={300}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {metric.label}
          </Text>
        </Tooltip>
        <Text size="xl" fw={700} data-testid={`value-${metric.id}`}>
          {formatValue(value, metric.unit)}
        </Text>
        <Text size="xs" c="blue">
          Why this number?
        </Text>
      </Card>
    </UnstyledButton>
  );
}

export function MetricTiles({
  metrics,
  totals,
  ids,
  explain,
  cols = 6,
}: {
  metrics: MetricInfoType[];
  totals: Record<string, number | null>;
  ids: string[];
  explain: (metric: string) => void;
  cols?: number;
}) {
  return (
    <SimpleGrid cols={{ base: 2, sm: Math.min(3, cols), lg: cols }}>
      {ids.map((id) => {
        const m = metrics.find((x) => x.id === id);
        return m ? <MetricTile key={id} metric={m} value={totals[id]} onExplain={() => explain(id)} /> : null;
      })}
    </SimpleGrid>
  );
}

export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4">
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Paper>
  );
}

export function WeeklyChart({
  series,
  labels,
  onPoint,
  testId,
}: {
  series: { metric: string; points: { week: string; value: number }[] }[];
  labels: Record<string, string>;
  onPoint?: (metric: string, week: string) => void;
  testId?: string;
}) {
  const weeks = series[0]?.points.map((p) => p.week) ?? [];
  return (
    <div data-testid={testId}>
      <ReactECharts
        style={{ height: 260 }}
        opts={{ renderer: 'svg' }}
        option={{
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 40, right: 16, top: 36, bottom: 28 },
          xAxis: { type: 'category', data: weeks.map(weekLabel) },
          yAxis: { type: 'value' },
          series: series.map((s) => ({
            name: labels[s.metric] ?? s.metric,
            type: 'bar',
            data: s.points.map((p) => p.value),
          })),
        }}
        onEvents={
          onPoint
            ? {
                click: (p: { seriesIndex: number; dataIndex: number }) => {
                  const s = series[p.seriesIndex];
                  if (s) onPoint(s.metric, weeks[p.dataIndex]!);
                },
              }
            : {}
        }
      />
    </div>
  );
}

/** A series against its own baseline: weekly values, the EWMA and its control limits. */
export function ControlChart({ series, label }: { series: ControlSeriesType; label: string }) {
  const weeks = series.points.map((p) => weekLabel(p.week));
  const lower = series.points.map((p) => Math.max(0, p.lower));
  const band = series.points.map((p, i) => p.upper - lower[i]!);
  return (
    <ReactECharts
      style={{ height: 200 }}
      opts={{ renderer: 'svg' }}
      option={{
        title: { text: label, textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        grid: { left: 36, right: 12, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: weeks },
        yAxis: { type: 'value' },
        series: [
          {
            name: 'lower',
            type: 'line',
            data: lower,
            stack: 'band',
            lineStyle: { opacity: 0 },
            symbol: 'none',
          },
          {
            name: 'Control band (±3σ)',
            type: 'line',
            data: band,
            stack: 'band',
            lineStyle: { opacity: 0 },
            areaStyle: { color: 'rgba(34,139,230,0.12)' },
            symbol: 'none',
          },
          {
            name: 'Weekly',
            type: 'bar',
            data: series.points.map((p) => p.value),
            itemStyle: { color: '#adb5bd' },
          },
          {
            name: 'EWMA',
            type: 'line',
            data: series.points.map((p) => Number(p.ewma.toFixed(2))),
            smooth: true,
          },
          {
            name: 'Baseline',
            type: 'line',
            data: series.points.map(() => Number(series.baseline.mean.toFixed(2))),
            lineStyle: { type: 'dashed' },
            symbol: 'none',
          },
        ],
      }}
    />
  );
}

export function CycleChart({
  cycle,
  onExplain,
}: {
  cycle: CycleStageType[];
  onExplain: (metric: string) => void;
}) {
  const labels: Record<string, string> = {
    cycle_coding: 'Coding',
    cycle_pickup: 'Pickup',
    cycle_review: 'Review',
  };
  return (
    <Stack gap="xs">
      <SimpleGrid cols={3}>
        {cycle.map((c) => (
          <UnstyledButton
            key={c.metric}
            onClick={() => onExplain(c.metric)}
            data-testid={`metric-${c.metric}`}
          >
            <Card withBorder padding="xs">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {labels[c.metric]}
              </Text>
              <Text fw={700}>
                {formatValue(c.p50, 'hours')}{' '}
                <Text span size="xs" c="dimmed">
                  median
                </Text>
              </Text>
              <Text size="xs" c="dimmed">
                p85 {formatValue(c.p85, 'hours')} · {c.n} PRs
              </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <ReactECharts
        style={{ height: 220 }}
        opts={{ renderer: 'svg' }}
        option={{
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 40, right: 12, top: 32, bottom: 24 },
          xAxis: { type: 'category', data: (cycle[0]?.weekly ?? []).map((w) => weekLabel(w.week)) },
          yAxis: { type: 'value', name: 'hours (median)' },
          series: cycle.map((c) => ({
            name: labels[c.metric],
            type: 'bar',
            stack: 'cycle',
            data: c.weekly.map((w) => (w.p50 === null ? 0 : Number(w.p50.toFixed(1)))),
          })),
        }}
      />
    </Stack>
  );
}

export function ReviewGraphChart({ graph }: { graph: ReviewGraphType }) {
  if (graph.nodes.length === 0) return <Text c="dimmed">No reviews in this period.</Text>;
  return (
    <div data-testid="review-graph">
      <Text size="sm" mb="xs">
        {graph.withinTeamReviews} reviews within the team · {graph.crossTeamReviews} across teams
      </Text>
      <ReactECharts
        style={{ height: 320 }}
        opts={{ renderer: 'svg' }}
        option={{
          tooltip: {},
          legend: { data: ['This team', 'Other teams'] },
          series: [
            {
              type: 'graph',
              layout: 'circular',
              roam: true,
              label: { show: true, fontSize: 10 },
              edgeSymbol: ['none', 'arrow'],
              categories: [{ name: 'This team' }, { name: 'Other teams' }],
              data: graph.nodes.map((n) => ({
                id: n.id,
                name: n.name,
                category: n.inTeam ? 0 : 1,
                symbolSize: 18,
                value: n.teamName,
              })),
              links: graph.edges.map((e) => ({
                source: e.from,
                target: e.to,
                value: e.reviews,
                lineStyle: { width: Math.min(6, 1 + Math.log2(e.reviews)) },
              })),
            },
          ],
        }}
      />
    </div>
  );
}

export function FlagList({
  flags,
  labels,
  onEvidence,
}: {
  flags: FlagType[];
  labels: Record<string, string>;
  onEvidence: (flag: FlagType) => void;
}) {
  if (flags.length === 0)
    return <Text c="dimmed">No sustained dips or strengths against the baseline in this period.</Text>;
  return (
    <Stack gap="xs" data-testid="flags">
      {flags.map((f, i) => (
        <Alert
          key={i}
          color={f.direction === 'dip' ? 'orange' : 'teal'}
          variant="light"
          title={`${f.direction === 'dip' ? 'Dip' : 'Strength'} · ${labels[f.metric] ?? f.metric} · ${f.subject.name}`}
        >
          <Text size="sm">
            Since the week of {weekLabel(f.since)}: {f.recentMean.toFixed(1)} a week against a baseline of{' '}
            {f.baselineMean.toFixed(1)}.{' '}
            {f.scope === 'system'
              ? 'The team moved the same way — likely a system-level change, not an individual one.'
              : f.scope === 'individual'
                ? 'The team did not move — this is individual.'
                : 'Team-level.'}{' '}
            <Anchor component="button" size="sm" onClick={() => onEvidence(f)}>
              See the events
            </Anchor>
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}

/** "Why this number?": the source events behind a value, with links to the PR / issue / commit. */
export function EvidenceDrawer({
  request,
  onClose,
}: {
  request: EvidenceRequest | null;
  onClose: () => void;
}) {
  const evidence = useEvidence(request);
  return (
    <Drawer opened={request !== null} onClose={onClose} position="right" size="xl" title="Why this number?">
      {evidence.isPending ? (
        <Loading />
      ) : evidence.isError ? (
        <ErrorNotice error={evidence.error} />
      ) : (
        <Stack data-testid="evidence">
          <div>
            <Title order={3} size="h4">
              {evidence.data.metric.label}: {formatValue(evidence.data.value, evidence.data.metric.unit)}
            </Title>
            <Text size="sm" c="dimmed">
              {evidence.data.metric.description}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              Weeks of {weekLabel(evidence.data.range.from)} to {weekLabel(evidence.data.range.to)} (UTC ISO
              weeks); times in your time zone ({VIEWER_TZ}). {evidence.data.total} source{' '}
              {evidence.data.total === 1 ? 'record' : 'records'}
              {evidence.data.rows.length < evidence.data.total
                ? `, latest ${evidence.data.rows.length} shown`
                : ''}
              .
            </Text>
          </div>
          <Table striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Counts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {evidence.data.rows.map((r) => (
                <Table.Tr key={`${r.kind}:${r.sourceId}`} data-testid="evidence-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {r.at
                      ? new Date(r.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
                      : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Badge size="xs" variant="light">
                        {r.kind.replace(/_/g, ' ')}
                      </Badge>
                      {r.url ? (
                        <Anchor href={r.url} target="_blank" rel="noreferrer" size="sm">
                          {r.title} <IconExternalLink size={12} />
                        </Anchor>
                      ) : (
                        <Text size="sm">{r.title}</Text>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {[r.project, r.detail].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.person ? (
                      <Anchor component={Link} to={`/people/${r.person.id}`} size="sm">
                        {r.person.name}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    {formatValue(
                      r.value,
                      evidence.data.metric.unit === 'share' ? '' : evidence.data.metric.unit,
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
