import { Stack, Text } from '@mantine/core';
import { useGoalHistory } from '../../api/goals.js';
import { formatDateTime } from '../../components/dates.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

const CHANGE_LABEL: Record<string, string> = {
  create: 'Set the goal',
  update: 'Changed',
  status: 'Changed the status',
  align: 'Changed the alignment',
  check_in: 'Checked in',
  progress: 'Progress from data',
  link: 'Changed the data link',
  evaluate: 'Evaluated',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.kind === 'target')
      return `${String(v.metric)} ${String(v.start)} → ${String(v.target)} ${String(v.unit ?? '')}`.trim();
    if (Array.isArray(value)) return value.map(show).join(', ');
    return JSON.stringify(value);
  }
  return String(value);
}

/** Who changed what, when and why: before → after per field. */
export function HistoryList({ goalId }: { goalId: string }) {
  const history = useGoalHistory(goalId);
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorNotice error={history.error} />;
  return (
    <Stack gap="sm" data-testid="goal-history">
      {history.data.items.map((h) => {
        const fields = h.change === 'update' || h.change === 'status' ? Object.keys(h.after ?? {}) : [];
        return (
          <Stack key={h.id} gap={0}>
            <Text size="sm" fw={500}>
              {CHANGE_LABEL[h.change] ?? h.change}
            </Text>
            {fields.map((f) => (
              <Text key={f} size="sm">
                {f}: {show(h.before?.[f])} → {show(h.after?.[f])}
              </Text>
            ))}
            {h.change === 'align' ? (
              <Text size="sm">
                {show(h.before?.parents)} → {show(h.after?.parents)}
              </Text>
            ) : null}
            {h.change === 'link' ? (
              <Text size="sm">
                {h.after
                  ? `Follows ${String(h.after.kind).replace('_', ' ')} “${String(h.after.key)}” (${String(h.after.aggregation)})`
                  : `Stopped following ${String(h.before?.kind ?? '').replace('_', ' ')} “${String(h.before?.key ?? '')}”`}
              </Text>
            ) : null}
            {h.change === 'check_in' || h.change === 'progress' ? (
              <Text size="sm">
                {show(h.before?.progress)}% → {show(h.after?.progress)}%
              </Text>
            ) : null}
            {h.reason ? (
              <Text size="sm" fs="italic">
                “{h.reason}”
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {h.actorLabel}, {formatDateTime(h.at)}
            </Text>
          </Stack>
        );
      })}
    </Stack>
  );
}
