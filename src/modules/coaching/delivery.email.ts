import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../../db/types.js';
import { dueOccurrence, isValidTimeZone, nextOccurrence, type DigestSchedule } from './delivery.schedule.js';

/**
 * The e-mail digest: unread coaching moments, sent over SMTP (nodemailer) at each recipient's own
 * local time. A digest is claimed in `coaching_digest_sent` under (person, local day) before it is
 * sent, so two app instances or two ticks of the schedule never send the same digest twice.
 */

export const DIGEST_QUEUE = 'coaching.digest';
export const DEFAULT_DIGEST_TIME = '08:30';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
  from: string;
}

/** SMTP settings from the environment (CAIRN_SMTP_*); undefined when no host is configured. */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpConfig | undefined {
  if (!env.CAIRN_SMTP_HOST) return undefined;
  const secure = env.CAIRN_SMTP_SECURE === '1' || env.CAIRN_SMTP_SECURE === 'true';
  return {
    host: env.CAIRN_SMTP_HOST,
    port: Number(env.CAIRN_SMTP_PORT || (secure ? 465 : 587)),
    secure,
    user: env.CAIRN_SMTP_USER || undefined,
    pass: env.CAIRN_SMTP_PASS || undefined,
    from: env.CAIRN_SMTP_FROM || 'Cairn <cairn@localhost>',
  };
}

export interface Mailer {
  from: string;
  send(message: { to: string; subject: string; text: string; html: string }): Promise<{ messageId: string }>;
}

/** A nodemailer SMTP transport for the settings. */
export function createMailer(config: SmtpConfig, extra: { ignoreTLS?: boolean } = {}): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
    ...(extra.ignoreTLS ? { ignoreTLS: true } : {}),
  });
  return {
    from: config.from,
    async send(message) {
      const info = await transport.sendMail({ from: config.from, ...message });
      return { messageId: info.messageId };
    },
  };
}

export interface DigestSettings {
  enabled: boolean;
  localTime: string;
  weekdaysOnly: boolean;
  timeZone: string;
  /** The next time a digest would go out, in UTC. */
  nextSendAt: string | null;
}

/** A person's digest settings (defaults when never changed: on, weekdays 08:30 local). */
export async function getDigestSettings(
  db: Kysely<DB>,
  personId: string,
  now = new Date(),
): Promise<DigestSettings> {
  const person = await db
    .selectFrom('person')
    .select('time_zone')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const row = await db
    .selectFrom('coaching_digest_setting')
    .selectAll()
    .where('person_id', '=', personId)
    .executeTakeFirst();
  const enabled = row?.enabled ?? true;
  const schedule: DigestSchedule = {
    timeZone: isValidTimeZone(person.time_zone) ? person.time_zone : 'UTC',
    localTime: row?.local_time ?? DEFAULT_DIGEST_TIME,
    weekdaysOnly: row?.weekdays_only ?? true,
  };
  return {
    enabled,
    localTime: schedule.localTime,
    weekdaysOnly: schedule.weekdaysOnly,
    timeZone: schedule.timeZone,
    nextSendAt: enabled ? nextOccurrence(now, schedule).at.toISOString() : null,
  };
}

export async function updateDigestSettings(
  db: Kysely<DB>,
  personId: string,
  input: { enabled: boolean; localTime: string; weekdaysOnly: boolean },
): Promise<void> {
  const values = {
    person_id: personId,
    enabled: input.enabled,
    local_time: input.localTime,
    weekdays_only: input.weekdaysOnly,
    updated_at: new Date(),
  };
  await db
    .insertInto('coaching_digest_setting')
    .values(values)
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({
        enabled: values.enabled,
        local_time: values.local_time,
        weekdays_only: values.weekdays_only,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

export interface DigestRunReport {
  considered: number;
  sent: number;
  skippedEmpty: number;
  failed: { personId: string; error: string }[];
}

/**
 * Sends every digest that is due at `now`: for each person with unread moments and digests on,
 * the latest scheduled local time has passed (within the grace period) and that local day has no
 * digest yet. A failed send releases its claim so the next tick retries it.
 */
export async function sendDueDigests(
  db: Kysely<DB>,
  mailer: Mailer,
  now = new Date(),
  options: { publicUrl?: string | undefined } = {},
): Promise<DigestRunReport> {
  const recipients = await db
    .selectFrom('coaching_inbox_item')
    .innerJoin('person', 'person.id', 'coaching_inbox_item.recipient_person_id')
    .leftJoin('coaching_digest_setting as s', 's.person_id', 'person.id')
    .select([
      'person.id',
      'person.name',
      'person.email',
      'person.time_zone',
      's.enabled',
      's.local_time',
      's.weekdays_only',
    ])
    .distinct()
    .where('coaching_inbox_item.read_at', 'is', null)
    .where('person.leave_date', 'is', null)
    .execute();
  const report: DigestRunReport = { considered: recipients.length, sent: 0, skippedEmpty: 0, failed: [] };
  for (const r of recipients) {
    if (r.enabled === false) continue;
    const schedule: DigestSchedule = {
      timeZone: isValidTimeZone(r.time_zone) ? r.time_zone : 'UTC',
      localTime: r.local_time ?? DEFAULT_DIGEST_TIME,
      weekdaysOnly: r.weekdays_only ?? true,
    };
    const due = dueOccurrence(now, schedule);
    if (!due) continue;
    const items = await db
      .selectFrom('coaching_inbox_item')
      .select(['title', 'body', 'link', 'created_at'])
      .where('recipient_person_id', '=', r.id)
      .where('read_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(20)
      .execute();
    const claimed = await db
      .insertInto('coaching_digest_sent')
      .values({ person_id: r.id, period: due.period, scheduled_for: due.at, item_count: items.length })
      .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
      .returning('person_id')
      .executeTakeFirst();
    if (!claimed) continue;
    if (items.length === 0) {
      report.skippedEmpty++;
      continue;
    }
    const message = composeDigest(r.name, items, options.publicUrl);
    try {
      const { messageId } = await mailer.send({ to: `${r.name} <${r.email}>`, ...message });
      await db
        .updateTable('coaching_digest_sent')
        .set({ message_id: messageId })
        .where('person_id', '=', r.id)
        .where('period', '=', due.period)
        .execute();
      report.sent++;
    } catch (error) {
      await db
        .deleteFrom('coaching_digest_sent')
        .where('person_id', '=', r.id)
        .where('period', '=', due.period)
        .execute();
      report.failed.push({ personId: r.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The digest's subject, plain text and HTML. */
export function composeDigest(
  name: string,
  items: { title: string; body: string; link: string | null }[],
  publicUrl: string | undefined,
): { subject: string; text: string; html: string } {
  const base = publicUrl?.replace(/\/$/, '') ?? '';
  const subject = `Cairn: ${items.length} coaching moment${items.length === 1 ? '' : 's'} for you`;
  const first = name.split(/\s+/)[0] ?? name;
  const text = [
    `Hello ${first},`,
    '',
    `You have ${items.length} unread coaching moment${items.length === 1 ? '' : 's'} in Cairn:`,
    '',
    ...items.map((i) => `- ${i.title}\n  ${i.body}${i.link ? `\n  ${base}${i.link}` : ''}`),
    '',
    `Open your inbox: ${base}/coaching`,
    'You can turn this digest off or change its time under Settings.',
  ].join('\n');
  const html =
    `<p>Hello ${escapeHtml(first)},</p><p>You have ${items.length} unread coaching moment${items.length === 1 ? '' : 's'} in Cairn:</p><ul>` +
    items
      .map(
        (i) =>
          `<li><strong>${escapeHtml(i.title)}</strong><br>${escapeHtml(i.body)}${i.link ? `<br><a href="${escapeHtml(base + i.link)}">Open</a>` : ''}</li>`,
      )
      .join('') +
    `</ul><p><a href="${escapeHtml(base)}/coaching">Open your inbox</a></p>`;
  return { subject, text, html };
}
