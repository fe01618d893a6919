import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconMessagePlus,
  IconRobot,
  IconThumbDown,
  IconThumbUp,
} from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { EvidenceItemType } from '../../../modules/coaching/opportunities.schema.js';
import { describeError } from '../../api/client.js';
import {
  useAiStatus,
  useCreateDraft,
  useDecideDraft,
  useDrafts,
  useInbox,
  useMarkInboxItem,
  useOpportunity,
  useOpportunityAction,
  type AiDraft,
  type DraftResult,
  type OpportunityDetail,
} from '../../api/coaching.js';
import { useCreateConversation, type ConversationKind } from '../../api/conversations.js';
import type { EvidenceRequest } from '../../api/signals.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';
import { zonedLocalToIso } from '../conversations/time-zone.js';
import { EvidenceDrawer, formatValue } from '../dashboard/signals-ui.js';
import { age, formatInZone, OpportunityBadges, useViewerTimeZone } from './coaching-ui.js';

const FRAMEWORK_NAMES: Record<string, string> = {
  GROW: 'GROW',
  SBI: 'SBI feedback',
  strengths: 'Strengths-based',
  career: 'Career conversation',
  retention: 'Stay conversation',
};
const STYLE_NAMES: Record<string, string> = {
  autonomy: 'high autonomy',
  collaboration: 'collaboration-oriented',
  structure: 'detail- and structure-focused',
  balanced: 'balanced',
  neutral: 'neutral',
};

/** One coaching opportunity: why it showed up, the evidence, the style-tailored guide, and what to do. */
export function OpportunityPage() {
  const { id = '' } = useParams();
  const opportunity = useOpportunity(id);
  const timeZone = useViewerTimeZone();
  useMarkNotificationRead(opportunity.isSuccess ? id : null);
  if (opportunity.isPending) return <Loading />;
  if (opportunity.isError)
    return <ErrorNotice error={opportunity.error} title="Cannot open this opportunity" />;
  const o = opportunity.data;
  return (
    <Stack>
      <PageTitle
        title={o.title}
        description={o.reason}
        actions={<OpportunityBadges priority={o.priority} polarity={o.polarity} status={o.status} />}
      />
      <Text size="sm" data-testid="opportunity-trigger">
        <b>{o.triggerLabel}</b> · {o.subject.type === 'person' ? 'about ' : 'for the team '}
        <Anchor
          component={Link}
          to={o.subject.type === 'person' ? `/people/${o.subject.id}` : `/teams/${o.subject.id}`}
        >
          {o.subject.name}
        </Anchor>{' '}
        · raised {age(o.createdAt)} ({formatInZone(o.createdAt, timeZone)}, {timeZone}) · period {o.period}
        {o.status === 'snoozed' && o.snoozedUntil ? ` · snoozed until ${o.snoozedUntil}` : ''}
        {o.status === 'dismissed' && o.dismissReason ? ` · dismissed: ${o.dismissReason}` : ''}
        {o.status === 'acted' && o.actedAt ? ` · acted on ${formatInZone(o.actedAt, timeZone)}` : ''}
      </Text>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <EvidenceSection o={o} />
            <GuideSection o={o} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <ActionsSection o={o} timeZone={timeZone} />
            <AiSection o={o} timeZone={timeZone} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** Opening an opportunity reads its inbox notification (so the digest does not send it again). */
function useMarkNotificationRead(id: string | null) {
  const inbox = useInbox(true);
  const mark = useMarkInboxItem();
  const unread = inbox.data?.items.find((i) => id !== null && i.link === `/coaching/opportunities/${id}`);
  const { mutate } = mark;
  useEffect(() => {
    if (unread) mutate({ id: unread.id, state: 'read' });
  }, [unread, mutate]);
}

function Card({ title, children, testId }: { title: ReactNode; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid={testId}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The evidence API the engine links to, as a "Why this number?" request for the drawer. */
function explainRequest(o: OpportunityDetail, e: EvidenceItemType): EvidenceRequest | null {
  if (e.explainLink) {
    try {
      const url = new URL(e.explainLink, window.location.origin);
      const metric = url.searchParams.get('metric');
      const scope = url.searchParams.get('scope');
      if (metric && (scope === 'person' || scope === 'team' || scope === 'org')) {
        return {
          metric,
          scope,
          id: url.searchParams.get('id'),
          from: url.searchParams.get('from') ?? e.from ?? '',
          to: url.searchParams.get('to') ?? e.to ?? '',
        };
      }
    } catch {
      // fall through to the item's own fields
    }
  }
  if (e.kind !== 'signal' || !e.metric || !e.from || !e.to) return null;
  return { metric: e.metric, scope: o.subject.type, id: o.subject.id, from: e.from, to: e.to };
}

/** "13 reviews against a baseline of 6 reviews · 2026-10-26 – 2026-11-22", leaving out what is missing. */
function evidenceLine(e: EvidenceItemType): string {
  const unit = e.unit ?? '';
  const parts: string[] = [];
  if (e.value !== null) {
    parts.push(
      `${formatValue(e.value, unit)}${e.baseline !== null ? ` against a baseline of ${formatValue(e.baseline, unit)}` : ''}`,
    );
  }
  if (e.from || e.to) parts.push(`${e.from ?? '…'} – ${e.to ?? '…'}`);
  return parts.join(' · ');
}

function EvidenceSection({ o }: { o: OpportunityDetail }) {
  const [explain, setExplain] = useState<EvidenceRequest | null>(null);
  return (
    <Card title="Why this showed up" testId="opportunity-evidence">
      <Text mb="sm">{o.evidence.summary}</Text>
      <Stack gap="sm">
        {o.evidence.items.map((e, i) => {
          const request = explainRequest(o, e);
          return (
            <Paper key={i} withBorder p="sm" radius="sm" data-testid="evidence-item">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <div>
                  <Group gap={6}>
                    <Badge size="xs" variant="light">
                      {e.kind.replace(/_/g, ' ')}
                    </Badge>
                    <Text fw={600} size="sm">
                      {e.label}
                    </Text>
                  </Group>
                  {evidenceLine(e) ? <Text size="sm">{evidenceLine(e)}</Text> : null}
                  {e.sourceIds.length ? (
                    <Text size="xs" c="dimmed">
                      {e.sourceIds.length} source {e.sourceIds.length === 1 ? 'record' : 'records'}
                    </Text>
                  ) : null}
                </div>
                <Group gap="xs">
                  {e.link ? (
                    <Button component={Link} to={e.link} size="compact-sm" variant="light">
                      {e.kind === 'signal' ? 'Signal page' : 'Open'}
                    </Button>
                  ) : null}
                  {request ? (
                    <Button size="compact-sm" variant="subtle" onClick={() => setExplain(request)}>
                      Why this number?
                    </Button>
                  ) : null}
                </Group>
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <EvidenceDrawer request={explain} onClose={() => setExplain(null)} />
    </Card>
  );
}

function Bullets({ title, items, testId }: { title: string; items: string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div data-testid={testId}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <List size="sm" spacing={2}>
        {items.map((t, i) => (
          <List.Item key={i}>{t}</List.Item>
        ))}
      </List>
    </div>
  );
}

function GuideSection({ o }: { o: OpportunityDetail }) {
  const g = o.guide;
  return (
    <Card
      title={`Conversation guide · ${FRAMEWORK_NAMES[g.framework] ?? g.framework}`}
      testId="opportunity-guide"
    >
      <Stack gap="sm">
        <Alert color="teal" variant="light" data-testid="guide-tailoring">
          <Text size="sm">
            {g.style === 'neutral' ? (
              <>
                Tailored to <b>{o.subject.name}</b>: no work-style profile yet, so the phrasing is neutral.
              </>
            ) : (
              <>
                Tailored to <b>{o.subject.name}</b>
                {o.subject.type === 'team' ? ' (the team)' : '’s work style'}:{' '}
                {STYLE_NAMES[g.style] ?? g.style}.
              </>
            )}
          </Text>
          <Text size="sm">{g.styleSummary}</Text>
        </Alert>
        {g.frameworkSteps.length ? (
          <Group gap="xs" data-testid="guide-steps">
            {g.frameworkSteps.map((s, i) => (
              <Badge key={i} variant="outline" title={s.prompt}>
                {i + 1}. {s.step}
              </Badge>
            ))}
          </Group>
        ) : null}
        <div data-testid="guide-opening">
          <Text fw={600} size="sm">
            Opening
          </Text>
          <Text size="sm">{g.opening}</Text>
        </div>
        <Bullets title="Talking points" items={g.talkingPoints} testId="guide-talking-points" />
        <Bullets title="Questions to ask" items={g.questions} testId="guide-questions" />
        <Bullets title="What to avoid" items={g.avoid} testId="guide-avoid" />
        <Bullets title="How to hold it" items={g.delivery} testId="guide-delivery" />
      </Stack>
    </Card>
  );
}

/** Tomorrow at 10:00 on the viewer's wall clock. */
function tomorrowAtTen(timeZone: string): string {
  const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return zonedLocalToIso(`${day}T10:00`, timeZone);
}

function ActionsSection({ o, timeZone }: { o: OpportunityDetail; timeZone: string }) {
  const act = useOpportunityAction(o.id);
  const create = useCreateConversation();
  const navigate = useNavigate();
  const [note, setNote] = useState('');
  const [until, setUntil] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [reason, setReason] = useState('');
  const closed = o.status === 'acted' || o.status === 'dismissed';

  const startConversation = async () => {
    const c = o.conversation;
    const conversation = await create.mutateAsync({
      kind: c.kind as ConversationKind,
      withPersonIds: c.withPersonIds,
      ...(c.teamId ? { teamId: c.teamId } : {}),
      title: c.title,
      scheduledAt: tomorrowAtTen(timeZone),
      durationMinutes: 30,
      prompt: c.prompt,
      ...(c.agenda.length ? { agenda: c.agenda } : {}),
    });
    if (o.status !== 'acted') {
      await act.mutateAsync({ action: 'act', body: { note: `Conversation scheduled: ${c.title}` } });
    }
    void navigate(`/conversations/${conversation.id}`);
  };

  const error = create.error ?? act.error;
  return (
    <Card title="What to do" testId="opportunity-actions">
      <Stack gap="md">
        <Button
          leftSection={<IconMessagePlus size={18} />}
          onClick={() => void startConversation().catch(() => undefined)}
          loading={create.isPending || (act.isPending && act.variables?.action === 'act')}
        >
          Start a conversation
        </Button>
        <Text size="xs" c="dimmed">
          Schedules “{o.conversation.title}” for tomorrow at 10:00 ({timeZone}) with the guide’s agenda, marks
          this opportunity acted on, and opens the conversation; change the time there.
        </Text>
        {error ? (
          <Alert color="red" icon={<IconAlertTriangle size={16} />} role="alert">
            {describeError(error)}
          </Alert>
        ) : null}
        {!closed ? (
          <>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label="Acted on it another way"
                placeholder="Note (optional)"
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Button
                variant="default"
                leftSection={<IconCheck size={16} />}
                onClick={() => act.mutate({ action: 'act', body: note.trim() ? { note: note.trim() } : {} })}
              >
                Act
              </Button>
            </Group>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label="Snooze until"
                type="date"
                value={until}
                onChange={(e) => setUntil(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Button
                variant="default"
                disabled={!until}
                onClick={() => act.mutate({ action: 'snooze', body: { until } })}
              >
                Snooze
              </Button>
            </Group>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label="Dismiss — why? (optional)"
                placeholder="e.g. already discussed"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Button
                variant="default"
                color="red"
                onClick={() =>
                  act.mutate({ action: 'dismiss', body: reason.trim() ? { reason: reason.trim() } : {} })
                }
              >
                Dismiss
              </Button>
            </Group>
          </>
        ) : null}
        <Group gap="xs" data-testid="opportunity-feedback">
          <Text size="sm">Was this useful?</Text>
          <Button
            size="compact-sm"
            variant={o.useful === true ? 'filled' : 'default'}
            leftSection={<IconThumbUp size={14} />}
            onClick={() => act.mutate({ action: 'feedback', body: { useful: true } })}
            aria-pressed={o.useful === true}
          >
            Yes
          </Button>
          <Button
            size="compact-sm"
            variant={o.useful === false ? 'filled' : 'default'}
            leftSection={<IconThumbDown size={14} />}
            onClick={() => act.mutate({ action: 'feedback', body: { useful: false } })}
            aria-pressed={o.useful === false}
          >
            No
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** "Draft with AI": shown only when an administrator configured an endpoint. */
function AiSection({ o, timeZone }: { o: OpportunityDetail; timeZone: string }) {
  const status = useAiStatus();
  const configured = status.data?.configured ?? false;
  const drafts = useDrafts(o.id, configured);
  const create = useCreateDraft(o.id);
  const decide = useDecideDraft(o.id);
  const [degraded, setDegraded] = useState<DraftResult | null>(null);
  if (!configured) return null;

  const draft = (kind: 'guide' | 'evidence_summary') =>
    create.mutate(kind, { onSuccess: (r) => setDegraded(r.degraded ? r : null) });

  return (
    <Card
      title={
        <Group gap="xs">
          <IconRobot size={20} /> AI drafts
        </Group>
      }
      testId="ai-drafts"
    >
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          Written by {status.data?.model ?? 'the configured model'} from what you see on this page only. A
          draft is a suggestion: nothing is used until you accept it.
        </Text>
        <Group gap="xs">
          <Button
            size="sm"
            variant="light"
            onClick={() => draft('guide')}
            loading={create.isPending && create.variables === 'guide'}
          >
            Draft with AI
          </Button>
          <Button
            size="sm"
            variant="subtle"
            onClick={() => draft('evidence_summary')}
            loading={create.isPending && create.variables === 'evidence_summary'}
          >
            Summarise the evidence
          </Button>
        </Group>
        {create.isError ? <ErrorNotice error={create.error} /> : null}
        {degraded ? (
          <Alert color="yellow" title="No AI draft" data-testid="ai-degraded">
            <Text size="sm">{degraded.notice}</Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mt="xs">
              {degraded.fallback}
            </Text>
          </Alert>
        ) : null}
        {(drafts.data?.items ?? []).map((d) => (
          <DraftCard
            key={d.id}
            d={d}
            timeZone={timeZone}
            busy={decide.isPending && decide.variables?.id === d.id}
            onDecide={(decision) => decide.mutate({ id: d.id, decision })}
          />
        ))}
        {decide.isError ? <ErrorNotice error={decide.error} /> : null}
      </Stack>
    </Card>
  );
}

function DraftCard({
  d,
  timeZone,
  busy,
  onDecide,
}: {
  d: AiDraft;
  timeZone: string;
  busy: boolean;
  onDecide: (decision: 'accept' | 'discard') => void;
}) {
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid="ai-draft"
      bg={d.status === 'draft' ? 'yellow.0' : undefined}
    >
      <Group justify="space-between" mb={4}>
        <Badge color={d.status === 'accepted' ? 'green' : 'yellow'} variant="filled">
          {d.status === 'accepted' ? 'Accepted AI draft' : 'AI draft'}
        </Badge>
        <Text size="xs" c="dimmed">
          {d.kind === 'guide' ? 'Guide' : 'Evidence summary'} · {d.model} ·{' '}
          {formatInZone(d.createdAt, timeZone)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb={4}>
        {d.label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {d.output}
      </Text>
      {d.status === 'draft' ? (
        <Group gap="xs" mt="sm">
          <Button size="compact-sm" onClick={() => onDecide('accept')} loading={busy}>
            Accept
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => onDecide('discard')} disabled={busy}>
            Discard
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}
