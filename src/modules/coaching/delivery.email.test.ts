import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../../test/factories.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import {
  createMailer,
  getDigestSettings,
  sendDueDigests,
  smtpConfigFromEnv,
  updateDigestSettings,
  type Mailer,
} from './delivery.email.js';
import { addInboxItem } from './delivery.inbox.js';

interface Captured {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server that accepts every message and keeps it. */
async function startSmtp() {
  const messages: Captured[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Unfolds headers and decodes quoted-printable soft breaks enough to read the text part. */
function readable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describe('e-mail digest over SMTP', () => {
  let testDb: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    smtp = await startSmtp();
    const config = smtpConfigFromEnv({
      CAIRN_SMTP_HOST: '127.0.0.1',
      CAIRN_SMTP_PORT: String(smtp.port),
      CAIRN_SMTP_SECURE: 'false',
      CAIRN_SMTP_FROM: 'Cairn <coach@cairn.test>',
    });
    expect(config).toBeDefined();
    mailer = createMailer(config!, { ignoreTLS: true });
  });
  afterAll(async () => {
    await smtp.close();
    await testDb.destroy();
  });

  it('reads SMTP settings from the environment, and none without a host', () => {
    expect(smtpConfigFromEnv({})).toBeUndefined();
    expect(
      smtpConfigFromEnv({
        CAIRN_SMTP_HOST: 'mail.example.com',
        CAIRN_SMTP_SECURE: 'true',
        CAIRN_SMTP_USER: 'u',
        CAIRN_SMTP_PASS: 'p',
      }),
    ).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      user: 'u',
      pass: 'p',
      from: 'Cairn <cairn@localhost>',
    });
  });

  it('sends each recipient’s digest at their local 08:30, once per local day, across the DST change', async () => {
    const db = testDb.database.db;
    const berlin = await buildPerson(db, {
      name: 'Birte Berlin',
      email: 'birte@example.test',
      time_zone: 'Europe/Berlin',
    });
    const ny = await buildPerson(db, {
      name: 'Nate York',
      email: 'nate@example.test',
      time_zone: 'America/New_York',
    });
    const off = await buildPerson(db, {
      name: 'Olga Off',
      email: 'olga@example.test',
      time_zone: 'Europe/Berlin',
    });
    await updateDigestSettings(db, off.id, { enabled: false, localTime: '08:30', weekdaysOnly: true });
    for (const p of [berlin, ny, off]) {
      await addInboxItem(db, {
        recipientPersonId: p.id,
        kind: 'moment',
        title: 'Quick exchange after stand-up',
        body: 'Ask what would make this week’s review easier.',
        link: '/coaching',
      });
    }

    // Monday 30 March 2026, the first weekday of summer time in Berlin: 08:30 CEST = 06:30 UTC.
    expect((await sendDueDigests(db, mailer, new Date('2026-03-30T06:29:00Z'))).sent).toBe(0);
    const first = await sendDueDigests(db, mailer, new Date('2026-03-30T06:31:00Z'), {
      publicUrl: 'https://cairn.example',
    });
    expect(first.sent).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.to).toEqual(['birte@example.test']);
    expect(mail.from).toBe('coach@cairn.test');
    const text = readable(mail.raw);
    expect(text).toMatch(/^To: Birte Berlin <birte@example.test>$/m);
    expect(text).toMatch(/^Subject: Cairn: 1 coaching moment for you$/m);
    expect(text).toContain('Hello Birte,');
    expect(text).toContain('Quick exchange after stand-up');
    expect(text).toContain('https://cairn.example/coaching');

    // The next tick, five minutes later, does not send Birte's digest again.
    expect((await sendDueDigests(db, mailer, new Date('2026-03-30T06:36:00Z'))).sent).toBe(0);
    // New York has been on summer time since 8 March: 08:30 EDT = 12:30 UTC.
    expect((await sendDueDigests(db, mailer, new Date('2026-03-30T12:29:00Z'))).sent).toBe(0);
    expect((await sendDueDigests(db, mailer, new Date('2026-03-30T12:30:00Z'))).sent).toBe(1);
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['birte@example.test', 'nate@example.test']);
    // Olga turned her digest off.
    expect(smtp.messages.some((m) => m.to.includes('olga@example.test'))).toBe(false);

    const sent = await db
      .selectFrom('coaching_digest_sent')
      .select(['person_id', 'period'])
      .orderBy('period')
      .execute();
    expect(sent).toEqual([
      { person_id: berlin.id, period: '2026-03-30' },
      { person_id: ny.id, period: '2026-03-30' },
    ]);
    // The following day is a new period.
    expect((await sendDueDigests(db, mailer, new Date('2026-03-31T06:30:00Z'))).sent).toBe(1);
  });

  it('releases the claim when the SMTP server refuses, so the next tick retries', async () => {
    const db = testDb.database.db;
    const person = await buildPerson(db, {
      name: 'Rita Retry',
      email: 'rita@example.test',
      time_zone: 'UTC',
    });
    await addInboxItem(db, { recipientPersonId: person.id, kind: 'moment', title: 't', body: 'b' });
    const broken: Mailer = { from: 'x', send: () => Promise.reject(new Error('connection refused')) };
    const failed = await sendDueDigests(db, broken, new Date('2026-04-01T08:31:00Z'));
    expect(failed.failed.map((f) => f.personId)).toContain(person.id);
    const retried = await sendDueDigests(db, mailer, new Date('2026-04-01T08:36:00Z'));
    expect(retried.sent).toBeGreaterThanOrEqual(1);
    expect(smtp.messages.some((m) => m.to.includes('rita@example.test'))).toBe(true);
  });

  it('reports a person’s next send time in UTC from their local settings', async () => {
    const db = testDb.database.db;
    const p = await buildPerson(db, { time_zone: 'America/New_York' });
    await updateDigestSettings(db, p.id, { enabled: true, localTime: '07:45', weekdaysOnly: true });
    const s = await getDigestSettings(db, p.id, new Date('2026-10-30T12:00:00Z')); // Friday, after 07:45 EDT
    expect(s.nextSendAt).toBe('2026-11-02T12:45:00.000Z'); // Monday 07:45 EST
  });
});
