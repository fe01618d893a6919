import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../remote/webhook-signature.js';
import { loadWebhookExamples } from './github.fixtures.js';
import { coAuthorsOf, GITHUB_WEBHOOK_EVENTS, mapGithubWebhook, mapPushCommit } from './github.mapper.js';

const examples = loadWebhookExamples().filter((e) =>
  (GITHUB_WEBHOOK_EVENTS as readonly string[]).includes(e.name),
);

describe('GitHub webhook payloads → drafts', () => {
  it('maps every example payload of the six events without error', () => {
    let events = 0;
    for (const group of examples) {
      for (const payload of group.examples) {
        const draft = mapGithubWebhook(group.name, payload);
        events += draft.events.length;
        for (const e of draft.events) {
          expect(e.sourceId).toBeTruthy();
          expect(e.occurredAt.getTime()).not.toBeNaN();
        }
      }
    }
    expect(events).toBeGreaterThan(10);
  });

  it('maps actions to the events they prove', () => {
    const pick = (name: string, action: string) =>
      examples.find((g) => g.name === name)!.examples.find((e) => e.action === action)!;
    expect(
      mapGithubWebhook('pull_request', pick('pull_request', 'opened')).events.map((e) => e.kind),
    ).toEqual(['pr_opened']);
    expect(
      mapGithubWebhook('pull_request', pick('pull_request', 'ready_for_review')).events.map((e) => e.kind),
    ).toEqual(['pr_ready']);
    expect(mapGithubWebhook('pull_request', pick('pull_request', 'labeled')).events).toEqual([]);
    expect(mapGithubWebhook('pull_request', pick('pull_request', 'labeled')).items).toHaveLength(1);
    const review = mapGithubWebhook('pull_request_review', pick('pull_request_review', 'submitted'))
      .events[0]!;
    expect(review.kind).toBe('review_submitted');
    expect(['approved', 'commented', 'changes_requested']).toContain(review.attributes.state);
    expect(mapGithubWebhook('issues', pick('issues', 'reopened')).events.map((e) => e.kind)).toEqual([
      'issue_reopened',
    ]);
    expect(mapGithubWebhook('issue_comment', pick('issue_comment', 'deleted')).events).toEqual([]);
    expect(mapGithubWebhook('star', { action: 'created' })).toEqual({ items: [], events: [] });
  });

  it('a payload without a repository is an error naming the field', () => {
    expect(() => mapGithubWebhook('issues', { action: 'opened', issue: {} })).toThrow(/repository.full_name/);
  });

  it('push commits carry e-mail identities and Co-authored-by trailers', () => {
    const [e, ...co] = mapPushCommit(
      'o/r',
      {
        id: 'abc',
        message:
          'Fix it\n\nCo-authored-by: Ana Lima <Ana@Kestrel.example>\nco-authored-by: Bo <bo@kestrel.example>',
        timestamp: '2026-01-01T10:00:00+01:00',
        author: { name: 'Cy', email: 'cy@kestrel.example', username: 'cy' },
        added: ['src/api/x.ts'],
        modified: ['README.md'],
      },
      'refs/heads/main',
    );
    expect(e!.actor).toMatchObject({ source: 'git', externalId: 'cy@kestrel.example', login: 'cy' });
    expect(co.map((c) => c.kind)).toEqual(['commit_coauthored', 'commit_coauthored']);
    expect(co.map((c) => c.actor?.externalId)).toEqual(['ana@kestrel.example', 'bo@kestrel.example']);
    expect(e!.attributes.areas).toEqual(['(root)', 'src/api']);
    expect(coAuthorsOf('no trailers')).toEqual([]);
  });
});

describe('webhook signatures', () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');
  it('accepts the HMAC-SHA256 of the raw body and nothing else', () => {
    const sig = signBody('s3cret', body);
    expect(verifySignature('s3cret', body, sig)).toBe(true);
    expect(verifySignature('s3cret', body, sig.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(verifySignature('other', body, sig)).toBe(false);
    expect(verifySignature('s3cret', Buffer.from(body.toString() + ' '), sig)).toBe(false);
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
    expect(verifySignature('s3cret', body, 'sha1=abc')).toBe(false);
    expect(verifySignature('s3cret', body, 'sha256=abcd')).toBe(false);
    expect(verifySignature('', body, signBody('', body))).toBe(false);
  });
});
