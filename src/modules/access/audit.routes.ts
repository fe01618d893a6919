import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../../server/context.js';
import { requestInfo } from '../../server/plugins/auth.js';
import { listAudit } from './access.repository.js';
import { authorize } from './access.service.js';
import { AuditPage, AuditQuerySchema } from './audit.schema.js';

/** The audit log, for administrators: who read or was refused what, and when. */
export const auditRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log (newest first)',
        querystring: AuditQuerySchema,
        response: { 200: AuditPage },
      },
    },
    async (request) => {
      await authorize(ctx.db, request.actor, 'audit.read', { type: 'audit_log' }, requestInfo(request));
      const limit = request.query.limit ?? 100;
      const rows = await listAudit(ctx.db, { ...request.query, limit: limit + 1 });
      const items = rows.slice(0, limit).map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        actorAccountId: r.actor_account_id,
        actor: r.actor_label,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        decision: r.decision,
        reason: r.reason,
        dataClass: r.data_class,
        ip: r.ip,
        requestId: r.request_id,
      }));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? last.id : null };
    },
  );
};
