import { Badge, Group } from '@mantine/core';
import type {
  OpportunityPolarityType,
  OpportunityPriorityType,
  OpportunityStatusType,
} from '../../../modules/coaching/opportunities.schema.js';
import { useMyConversations } from '../../api/conversations.js';

/* Small pieces shared by the coaching pages: badges, ages, the viewer's time zone. */

const PRIORITY_COLOR: Record<OpportunityPriorityType, string> = {
  high: 'red',
  medium: 'orange',
  low: 'gray',
};
const POLARITY: Record<OpportunityPolarityType, { label: string; color: string }> = {
  corrective: { label: 'Corrective', color: 'yellow' },
  growth: { label: 'Growth', color: 'teal' },
  system: { label: 'System', color: 'indigo' },
};
const STATUS: Record<OpportunityStatusType, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  snoozed: { label: 'Snoozed', color: 'gray' },
  acted: { label: 'Acted', color: 'green' },
  dismissed: { label: 'Dismissed', color: 'gray' },
};

export function OpportunityBadges({
  priority,
  polarity,
  status,
}: {
  priority: OpportunityPriorityType;
  polarity: OpportunityPolarityType;
  status?: OpportunityStatusType;
}) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" color={PRIORITY_COLOR[priority]} variant="filled" data-testid="priority">
        {priority} priority
      </Badge>
      <Badge size="sm" color={POLARITY[polarity].color} variant="light" data-testid="polarity">
        {POLARITY[polarity].label}
      </Badge>
      {status ? (
        <Badge size="sm" color={STATUS[status].color} variant="outline" data-testid="opportunity-status">
          {STATUS[status].label}
        </Badge>
      ) : null}
    </Group>
  );
}

/** "3 days ago", "2 hours ago". */
export function age(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86_400 * 60) return rtf.format(Math.round(seconds / 86_400), 'day');
  return rtf.format(Math.round(seconds / (86_400 * 30)), 'month');
}

/** The time zone of the viewer's person record (the conversations API reports it), else the browser's. */
export function useViewerTimeZone(): string {
  const list = useMyConversations({ limit: 1 });
  return list.data?.viewerTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
