import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, getTestServer, signIn, type Agent, type TestServer } from '../../test/test-server.js';
import type { ConversationDetailType } from './conversations.schema.js';
import { buildConversationFixture } from './conversations.test-fixture.js';

/*
 * The visibility matrix of coaching conversations, through the API on whichever database the run
 * uses. Two conversations around Tess (the target):
 *   Y  peer coaching, Tess coaching Pat (her teammate): Tess writes a private and a shared note,
 *      Pat writes a private note.
 *   Z  external coaching, Xena (an outside coach) with Tess: Xena writes a shared and a private
 *      note, Tess a private one.
 * Each note carries a unique marker; for every actor we collect every response they can get from
 * the conversation routes (detail, list, search for each marker, actions, helpfulness, export), the
 * person pages and (for the admin) the audit log, and check which markers appear anywhere.
 */

const MARK = {
  yPrivateOfAuthor: 'Y-PRIVATE-TESS-7f3a: I am unsure I can keep coaching Pat alongside the launch',
  yShared: 'Y-SHARED-2b9c: Pat will try the SBI model when giving review feedback',
  yPrivateOfOther: 'Y-PRIVATE-PAT-51d0: I found it hard to admit I avoid conflict',
  zShared: 'Z-SHARED-c4e8: Tess wants to explore a move into a staff role within a year',
  zPrivateOfCoach: 'Z-PRIVATE-XENA-9e21: signs of stress about the reorganisation',
  zPrivateOfCoachee: 'Z-PRIVATE-TESS-0d77: ask Xena about negotiating scope with Max',
} as const;
type Marker = keyof typeof MARK;

type ActorName =
  | 'author'
  | 'otherParticipant'
  | 'managerOfParticipant'
  | 'skipLevel'
  | 'hrPartner'
  | 'admin'
  | 'executive'
  | 'externalCoach'
  | 'unrelatedPeer';

/** What each actor may read: the markers, and whether they may open Y and Z at all. */
const MATRIX: Record<ActorName, { y: boolean; z: boolean; sees: Marker[] }> = {
  author: { y: true, z: true, sees: ['yPrivateOfAuthor', 'yShared', 'zShared', 'zPrivateOfCoachee'] },
  otherParticipant: { y: true, z: false, sees: ['yShared', 'yPrivateOfOther'] },
  managerOfParticipant: { y: false, z: false, sees: [] },
  skipLevel: { y: false, z: false, sees: [] },
  hrPartner: { y: false, z: false, sees: [] },
  admin: { y: false, z: false, sees: [] },
  executive: { y: false, z: false, sees: [] },
  externalCoach: { y: false, z: true, sees: ['zShared', 'zPrivateOfCoach'] },
  unrelatedPeer: { y: false, z: false, sees: [] },
};

describe('conversation privacy matrix', { timeout: 120_000 }, () => {
  let server: TestServer;
  let f: Awaited<ReturnType<typeof buildConversationFixture>>;
  const agents = {} as Record<ActorName, Agent>;
  const accountIds = {} as Record<ActorName, string>;
  let y: string;
  let z: string;

  beforeAll(async () => {
    server = await getTestServer({ loginRateLimitPerMinute: 1000 });
    f = await buildConversationFixture(server.ctx.db);
    const accountOf: Record<ActorName, (typeof f.accounts)[keyof typeof f.accounts]> = {
      author: f.accounts.self,
      otherParticipant: f.accounts.peer,
      managerOfParticipant: f.accounts.manager,
      skipLevel: f.accounts.skipLevel,
      hrPartner: f.accounts.hrIn,
      admin: f.accounts.admin,
      executive: f.accounts.executive,
      externalCoach: f.accounts.externalCoach,
      unrelatedPeer: f.accounts.unrelatedPeer,
    };
    for (const [name, account] of Object.entries(accountOf) as [ActorName, { id: string; email: string }][]) {
      agents[name] = await signIn(server.app, account.email);
      accountIds[name] = account.id;
    }
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const post = async (agent: Agent, url: string, body: unknown) => {
      const res = await call(server.app, agent, 'POST', url, body);
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as ConversationDetailType;
    };
    y = (
      await post(agents.author, '/api/v1/conversations', {
        kind: 'peer',
        withPersonIds: [f.people.peer.id],
        scheduledAt: at,
        durationMinutes: 30,
      })
    ).id;
    z = (
      await post(agents.author, '/api/v1/conversations', {
        kind: 'external',
        withPersonIds: [f.people.externalCoach.id],
        scheduledAt: at,
        durationMinutes: 60,
      })
    ).id;
    await post(agents.author, `/api/v1/conversations/${y}/notes`, {
      visibility: 'private',
      body: MARK.yPrivateOfAuthor,
    });
    await post(agents.author, `/api/v1/conversations/${y}/notes`, {
      visibility: 'shared',
      body: MARK.yShared,
    });
    await post(agents.otherParticipant, `/api/v1/conversations/${y}/notes`, {
      visibility: 'private',
      body: MARK.yPrivateOfOther,
    });
    await post(agents.externalCoach, `/api/v1/conversations/${z}/notes`, {
      visibility: 'shared',
      body: MARK.zShared,
    });
    await post(agents.externalCoach, `/api/v1/conversations/${z}/notes`, {
      visibility: 'private',
      body: MARK.zPrivateOfCoach,
    });
    await post(agents.author, `/api/v1/conversations/${z}/notes`, {
      visibility: 'private',
      body: MARK.zPrivateOfCoachee,
    });
  }, 240_000);
  afterAll(async () => server?.close());

  async function denials(actor: ActorName, conversationId: string): Promise<number> {
    const rows = await server.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('actor_account_id', '=', accountIds[actor])
      .where('action', '=', 'conversation.read')
      .where('resource_type', '=', 'conversation')
      .where('resource_id', '=', conversationId)
      .where('decision', '=', 'deny')
      .execute();
    return rows.length;
  }

  for (const [actor, expected] of Object.entries(MATRIX) as [ActorName, (typeof MATRIX)[ActorName]][]) {
    it(`${actor}: opens Y ${expected.y ? 'yes' : 'no'}, Z ${expected.z ? 'yes' : 'no'}; reads exactly ${expected.sees.join(', ') || 'no notes'}`, async () => {
      const agent = agents[actor];
      const bodies: string[] = [];
      const get = async (url: string) => {
        const res = await call(server.app, agent, 'GET', url);
        bodies.push(res.body);
        return res;
      };

      for (const [id, allowed] of [
        [y, expected.y],
        [z, expected.z],
      ] as const) {
        const before = await denials(actor, id);
        const res = await get(`/api/v1/conversations/${id}`);
        expect(res.statusCode, `${actor} GET conversation`).toBe(allowed ? 200 : 403);
        // Every refusal is in the audit log with the actor and the conversation.
        expect(await denials(actor, id)).toBe(before + (allowed ? 0 : 1));
        if (allowed) {
          // Every allowed read of notes is audited too.
          const reads = await server.ctx.db
            .selectFrom('audit_log')
            .select('id')
            .where('actor_account_id', '=', accountIds[actor])
            .where('action', '=', 'conversation.read')
            .where('resource_id', '=', id)
            .where('decision', '=', 'allow')
            .execute();
          expect(reads.length).toBeGreaterThan(0);
        }
        // Writing into a conversation one is not in is refused as well.
        const write = await call(server.app, agent, 'POST', `/api/v1/conversations/${id}/notes`, {
          visibility: 'shared',
          body: 'intrusion',
        });
        expect(write.statusCode).toBe(allowed ? 201 : 403);
        if (allowed) {
          const created = (write.json() as ConversationDetailType).notes.find((n) => n.body === 'intrusion')!;
          await call(server.app, agent, 'DELETE', `/api/v1/conversations/${id}/notes/${created.id}`);
        }
      }

      await get('/api/v1/me/conversations');
      await get('/api/v1/me/conversations/actions?status=all');
      await get('/api/v1/me/conversations/helpfulness');
      const exported = await get('/api/v1/me/conversations/export');
      if (f.people && accountIds[actor]) expect([200, 403]).toContain(exported.statusCode);
      for (const text of Object.values(MARK)) {
        const search = await get(`/api/v1/me/conversations?q=${encodeURIComponent(text.slice(0, 12))}`);
        const marker = (Object.keys(MARK) as Marker[]).find((k) => MARK[k] === text)!;
        const items = (search.json() as { items?: { id: string }[] }).items ?? [];
        // Search finds a conversation by a note only for someone who may read that note.
        expect(items.length, `${actor} search ${marker}`).toBe(expected.sees.includes(marker) ? 1 : 0);
      }
      await get(`/api/v1/people/${f.people.target.id}`);
      await get(`/api/v1/people/${f.people.target.id}/profile`);
      if (actor === 'admin') await get('/api/v1/audit?limit=500');

      const all = bodies.join('\n');
      for (const marker of Object.keys(MARK) as Marker[]) {
        const visible = all.includes(MARK[marker]);
        expect(
          visible,
          `${actor} ${expected.sees.includes(marker) ? 'should' : 'must not'} read ${marker}`,
        ).toBe(expected.sees.includes(marker));
      }
      // Note text never reaches a list or search response, even for participants: only the detail and the export carry it.
      const listOnly = await call(server.app, agent, 'GET', '/api/v1/me/conversations');
      for (const text of Object.values(MARK)) expect(listOnly.body).not.toContain(text);
    });
  }

  it('refuses a participant changing another person’s note, and audits the refusal', async () => {
    const detail = (
      await call(server.app, agents.author, 'GET', `/api/v1/conversations/${y}`)
    ).json() as ConversationDetailType;
    const shared = detail.notes.find((n) => n.body === MARK.yShared)!;
    const privateNote = detail.notes.find((n) => n.body === MARK.yPrivateOfAuthor)!;
    const before = await server.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('actor_account_id', '=', accountIds.otherParticipant)
      .where('decision', '=', 'deny')
      .execute();
    const editShared = await call(
      server.app,
      agents.otherParticipant,
      'PATCH',
      `/api/v1/conversations/${y}/notes/${shared.id}`,
      { body: 'rewritten' },
    );
    expect(editShared.statusCode).toBe(403);
    // Another person's private note answers like a missing one: its existence is not confirmed.
    const editPrivate = await call(
      server.app,
      agents.otherParticipant,
      'PATCH',
      `/api/v1/conversations/${y}/notes/${privateNote.id}`,
      { visibility: 'shared' },
    );
    expect(editPrivate.statusCode).toBe(404);
    const after = await server.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('actor_account_id', '=', accountIds.otherParticipant)
      .where('decision', '=', 'deny')
      .execute();
    expect(after.length).toBe(before.length + 2);
    const still = (
      await call(server.app, agents.author, 'GET', `/api/v1/conversations/${y}`)
    ).json() as ConversationDetailType;
    expect(still.notes.find((n) => n.id === privateNote.id)?.visibility).toBe('private');
    expect(still.notes.find((n) => n.id === shared.id)?.body).toBe(MARK.yShared);
  });

  it('keeps audit entries free of note text', async () => {
    const rows = await server.ctx.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(rows);
    for (const marker of Object.values(MARK)) expect(text).not.toContain(marker);
    expect(
      rows.filter((r) => r.action.startsWith('conversation.')).every((r) => r.data_class === 'development'),
    ).toBe(true);
  });
});
