import {
  Alert,
  Badge,
  Box,
  Button,
  Chip,
  Grid,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconEye, IconLock, IconPencil } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  useQuestionnaire,
  useSubmitWorkStyle,
  useWorkStyle,
  type ProfileSubmission,
  type Questionnaire,
  type WorkStyleProfile,
} from '../../api/profiles.js';
import { useSession } from '../../api/session.js';
import { formatDate } from '../../components/dates.js';
import { fieldErrorsOf, FormError } from '../../components/form-error.js';
import { PageTitle } from '../../components/page-title.js';
import { PersonLink } from '../../components/person-link.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

const BAND_LABEL: Record<string, string> = { low: 'Low', balanced: 'Balanced', high: 'High' };
const RELATION_LABEL: Record<string, string> = {
  manager: 'Manager',
  skip_level_manager: 'Skip-level manager',
  coach: 'Coach',
};

/** "My work style": the signed-in person's own profile. */
export function MyWorkStylePage() {
  const session = useSession();
  const personId = session.data?.account.personId;
  if (session.isPending) return <Loading />;
  if (!personId) {
    return (
      <Stack>
        <PageTitle title="Work-style profile" />
        <Alert color="gray">Your account is not linked to a person, so there is no profile to fill in.</Alert>
      </Stack>
    );
  }
  return <WorkStyleView personId={personId} />;
}

/** A person's work-style profile (`/people/:id/work-style`). */
export function PersonWorkStylePage() {
  const { id = '' } = useParams();
  return <WorkStyleView personId={id} />;
}

function WorkStyleView({ personId }: { personId: string }) {
  const profile = useWorkStyle(personId);
  const questionnaire = useQuestionnaire();
  const [editing, setEditing] = useState(false);

  if (profile.isPending || questionnaire.isPending) return <Loading />;
  if (profile.isError)
    return <ErrorNotice error={profile.error} title="Cannot load this work-style profile" />;
  if (questionnaire.isError) return <ErrorNotice error={questionnaire.error} />;
  if (profile.data.denied) {
    return (
      <Stack>
        <PageTitle title="Work-style profile" />
        <Alert color="gray" icon={<IconLock size={20} />} title="Private" data-testid="work-style-denied">
          A work-style profile is development data: only the person, their management chain and their coaches
          can read it. HR, administrators and executives cannot.
        </Alert>
      </Stack>
    );
  }
  const data = profile.data.profile;
  const q = questionnaire.data;
  const showForm = data.canEdit && (editing || !data.current);
  return (
    <Stack>
      <PageTitle
        title={data.canEdit ? 'My work style' : `${data.person.name} — work style`}
        description={
          <>
            How <PersonLink id={data.person.id}>{data.canEdit ? 'you' : data.person.name}</PersonLink>{' '}
            {data.canEdit ? 'like' : 'likes'} to work, so coaching can be suggested in a way that suits{' '}
            {data.canEdit ? 'you' : 'them'}.
          </>
        }
        actions={
          data.canEdit && data.current && !editing ? (
            <Button
              leftSection={<IconPencil size={16} />}
              onClick={() => setEditing(true)}
              data-testid="edit-work-style"
            >
              Update my answers
            </Button>
          ) : null
        }
      />
      <ViewerNotice profile={data} />
      {showForm ? (
        <ProfileForm
          personId={personId}
          questionnaire={q}
          initial={data.current}
          onDone={() => setEditing(false)}
          onCancel={data.current ? () => setEditing(false) : undefined}
        />
      ) : data.current ? (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <ProfileResult submission={data.current} questionnaire={q} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <History history={data.history} />
          </Grid.Col>
        </Grid>
      ) : (
        <Alert color="gray" data-testid="work-style-empty">
          {data.person.name} has not filled in the work-style questionnaire yet.
        </Alert>
      )}
    </Stack>
  );
}

function ViewerNotice({ profile }: { profile: WorkStyleProfile }) {
  return (
    <Alert
      color="violet"
      variant="light"
      icon={<IconEye size={20} />}
      title="Who sees this profile"
      data-testid="viewer-notice"
    >
      <Text size="sm">{profile.viewers.notice}</Text>
      {profile.viewers.people.length ? (
        <Group gap={6} mt={6}>
          {profile.viewers.people.map((p) => (
            <Badge key={`${p.relation}-${p.id}`} variant="outline" color="violet" tt="none">
              {p.name} · {RELATION_LABEL[p.relation] ?? p.relation}
            </Badge>
          ))}
        </Group>
      ) : null}
    </Alert>
  );
}

/** One dimension as a labelled track with the person's position on it. */
function Scale({
  label,
  low,
  high,
  score,
  band,
}: {
  label: string;
  low: string;
  high: string;
  score: number;
  band: string;
}) {
  return (
    <div data-testid={`scale-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
      <Group justify="space-between" mb={4}>
        <Text fw={700}>{label}</Text>
        <Badge variant="light">
          {BAND_LABEL[band] ?? band} · {score}/100
        </Badge>
      </Group>
      <Box
        pos="relative"
        h={12}
        style={{
          borderRadius: 6,
          background: 'linear-gradient(90deg, var(--mantine-color-gray-2), var(--mantine-color-teal-3))',
        }}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
      >
        <Box
          pos="absolute"
          top={-4}
          w={20}
          h={20}
          style={{
            left: `calc(${score}% - 10px)`,
            borderRadius: '50%',
            background: 'var(--mantine-color-teal-7)',
            border: '3px solid white',
            boxShadow: '0 0 0 1px var(--mantine-color-teal-7)',
          }}
        />
      </Box>
      <Group justify="space-between" mt={4} wrap="nowrap">
        <Text size="xs" c="dimmed">
          {low}
        </Text>
        <Text size="xs" c="dimmed" ta="right">
          {high}
        </Text>
      </Group>
    </div>
  );
}

function ProfileResult({
  submission,
  questionnaire,
}: {
  submission: ProfileSubmission;
  questionnaire: Questionnaire;
}) {
  const optionLabel = (key: string, id: string) =>
    questionnaire.communication.find((c) => c.id === key)?.options.find((o) => o.id === id)?.label ?? id;
  const driver = (id: string) => questionnaire.drivers.find((d) => d.id === id);
  return (
    <Paper withBorder p="lg" radius="md" data-testid="work-style-result">
      <Stack gap="lg">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Work style
          </Title>
          <Text size="sm" c="dimmed">
            Answered {formatDate(submission.submittedAt)}
          </Text>
        </Group>
        {questionnaire.dimensions.map((d) => (
          <Scale
            key={d.id}
            label={d.label}
            low={d.low}
            high={d.high}
            score={submission.scores[d.id as keyof typeof submission.scores]}
            band={submission.bands[d.id as keyof typeof submission.bands]}
          />
        ))}
        <div>
          <Title order={3} size="h5" mb={6}>
            Communication
          </Title>
          <Group gap={6} data-testid="communication-chips">
            {questionnaire.communication.map((c) => (
              <Badge key={c.id} size="lg" variant="light" color="blue" tt="none">
                {c.label}:{' '}
                {optionLabel(c.id, submission.communication[c.id as keyof typeof submission.communication])}
              </Badge>
            ))}
          </Group>
        </div>
        <div>
          <Title order={3} size="h5" mb={6}>
            Motivated by
          </Title>
          <Stack gap={4} data-testid="drivers">
            {submission.drivers.map((id) => (
              <Text key={id} size="sm">
                <Badge variant="filled" color="teal" tt="none" mr={8}>
                  {driver(id)?.label ?? id}
                </Badge>
                {driver(id)?.description}
              </Text>
            ))}
          </Stack>
        </div>
      </Stack>
    </Paper>
  );
}

function History({ history }: { history: ProfileSubmission[] }) {
  return (
    <Paper withBorder p="lg" radius="md" data-testid="work-style-history">
      <Title order={2} size="h4" mb="md">
        History
      </Title>
      <Timeline active={0} bulletSize={14} lineWidth={2}>
        {history.map((h, i) => (
          <Timeline.Item key={h.id} title={formatDate(h.submittedAt)}>
            <Text size="xs" c="dimmed">
              Autonomy {h.scores.autonomy} · Collaboration {h.scores.collaboration} · Structure{' '}
              {h.scores.structure}
            </Text>
            {i === history.length - 1 ? (
              <Text size="sm">First answers</Text>
            ) : h.changes.length === 0 ? (
              <Text size="sm">Answered again, no change in the result</Text>
            ) : (
              h.changes.map((c) => (
                <Text size="sm" key={c}>
                  {c}
                </Text>
              ))
            )}
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}

function ProfileForm({
  personId,
  questionnaire,
  initial,
  onDone,
  onCancel,
}: {
  personId: string;
  questionnaire: Questionnaire;
  initial: ProfileSubmission | null;
  onDone: () => void;
  onCancel: (() => void) | undefined;
}) {
  const [answers, setAnswers] = useState<Record<string, number>>(initial?.answers ?? {});
  const [communication, setCommunication] = useState<Record<string, string>>(initial?.communication ?? {});
  const [drivers, setDrivers] = useState<string[]>(initial?.drivers ?? []);
  const submit = useSubmitWorkStyle(personId);
  const errors = fieldErrorsOf(submit.error);
  const problems =
    (submit.error && 'details' in submit.error
      ? (submit.error.details as { path: string; message: string }[])
      : []) ?? [];
  const problemAt = (path: string) => problems.find((p) => p.path === path)?.message;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate({ answers, communication, drivers }, { onSuccess: onDone });
  };

  return (
    <Paper withBorder p="lg" radius="md" component="form" onSubmit={onSubmit} data-testid="work-style-form">
      <Stack gap="lg">
        <Text size="sm" c="dimmed">
          {questionnaire.items.length} statements, then three questions about communication and what motivates
          you. There are no right answers; you can change them at any time and earlier answers are kept as
          history.
        </Text>
        {questionnaire.items.map((item, i) => (
          <Radio.Group
            key={item.id}
            label={`${i + 1}. ${item.text}`}
            value={answers[item.id] ? String(answers[item.id]) : null}
            onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: Number(v) }))}
            error={problemAt(`/body/answers/${item.id}`)}
            data-testid={`item-${item.id}`}
          >
            <Group mt={6} gap="md">
              {questionnaire.likertLabels.map((label, k) => (
                <Radio key={label} value={String(k + 1)} label={label} />
              ))}
            </Group>
          </Radio.Group>
        ))}
        {questionnaire.communication.map((c) => (
          <Stack key={c.id} gap={4}>
            <Text size="sm" fw={500}>
              {c.label}
            </Text>
            <SegmentedControl
              data={c.options.map((o) => ({ value: o.id, label: o.label }))}
              value={communication[c.id] ?? ''}
              onChange={(v) => setCommunication((x) => ({ ...x, [c.id]: v }))}
              data-testid={`communication-${c.id}`}
            />
            {problemAt(`/body/communication/${c.id}`) ? (
              <Text size="xs" c="red">
                {problemAt(`/body/communication/${c.id}`)}
              </Text>
            ) : null}
          </Stack>
        ))}
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            What motivates you most? Choose {questionnaire.minDrivers} to {questionnaire.maxDrivers}.
          </Text>
          <Chip.Group multiple value={drivers} onChange={setDrivers}>
            <Group gap={6} data-testid="driver-chips">
              {questionnaire.drivers.map((d) => (
                <Chip
                  key={d.id}
                  value={d.id}
                  disabled={!drivers.includes(d.id) && drivers.length >= questionnaire.maxDrivers}
                >
                  {d.label}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {errors.drivers ? (
            <Text size="xs" c="red">
              {errors.drivers}
            </Text>
          ) : null}
        </Stack>
        <FormError error={submit.error} fields={['answers', 'communication', 'drivers']} />
        <Group>
          <Button type="submit" loading={submit.isPending} data-testid="save-work-style">
            Save my profile
          </Button>
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

/** A link to a person's work-style profile, for the person page. */
export function WorkStyleLink({ personId, isMe }: { personId: string; isMe: boolean }) {
  return (
    <Button
      component={Link}
      to={isMe ? '/profiles' : `/people/${personId}/work-style`}
      variant="light"
      size="xs"
      data-testid="work-style-link"
    >
      {isMe ? 'My work style' : 'Work-style profile'}
    </Button>
  );
}
