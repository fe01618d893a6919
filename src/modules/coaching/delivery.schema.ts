import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, Uuid } from '../../shared/schemas.js';

/** Request and response schemas of the coaching delivery routes (inbox, digest settings, webhooks). */

export const InboxItem = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  createdAt: IsoDateTime,
  readAt: Type.Union([IsoDateTime, Type.Null()]),
  actedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export const Inbox = Type.Object({ items: Type.Array(InboxItem), unread: Type.Integer() });
export type InboxType = Static<typeof Inbox>;
export const InboxQuery = Type.Object({ unread: Type.Optional(Type.Boolean()) });

export const DigestSettings = Type.Object({
  enabled: Type.Boolean(),
  localTime: Type.String(),
  weekdaysOnly: Type.Boolean(),
  timeZone: Type.String(),
  nextSendAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type DigestSettingsType = Static<typeof DigestSettings>;
export const DigestSettingsBody = Type.Object(
  {
    enabled: Type.Boolean(),
    localTime: Type.String({
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'HH:MM, 24-hour, local time',
    }),
    weekdaysOnly: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const WebhookEndpoint = Type.Object({
  id: Uuid,
  name: Type.String(),
  url: Type.String(),
  enabled: Type.Boolean(),
  secretHint: Type.String(),
  createdAt: IsoDateTime,
});
export type WebhookEndpointType = Static<typeof WebhookEndpoint>;
export const WebhookEndpointList = Type.Object({ items: Type.Array(WebhookEndpoint) });
export const WebhookEndpointBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export const WebhookEndpointCreated = Type.Object({
  id: Uuid,
  /** Shown once: the receiver needs it to verify signatures. */
  secret: Type.String(),
});

export const WebhookTestResult = Type.Object({
  ok: Type.Boolean(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const WebhookDelivery = Type.Object({
  id: Uuid,
  event: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
  deliveredAt: Type.Union([IsoDateTime, Type.Null()]),
  log: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      at: IsoDateTime,
      statusCode: Type.Union([Type.Integer(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
      durationMs: Type.Integer(),
    }),
  ),
});
export type WebhookDeliveryType = Static<typeof WebhookDelivery>;
export const WebhookDeliveryList = Type.Object({ items: Type.Array(WebhookDelivery) });

export const DeliveryStatus = Type.Object({
  smtp: Type.Object({
    configured: Type.Boolean(),
    host: Type.Union([Type.String(), Type.Null()]),
    port: Type.Union([Type.Integer(), Type.Null()]),
    secure: Type.Boolean(),
    from: Type.Union([Type.String(), Type.Null()]),
  }),
  digestSchedule: Type.String(),
  jobs: Type.Boolean(),
});
