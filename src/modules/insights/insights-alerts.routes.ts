import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { can, type Permission } from '../../shared/permissions.js';
import { auditActorOf } from '../accounts/index.js';
import { listAlertDeliveries, retryAlertDelivery } from './alert-deliveries.js';
import { getStoredAlertSettings, presentAlertSettings, updateAlertSettings } from './alert-settings.js';
import { acknowledgeAlert, listAlerts } from './alerts.js';
import {
  ZAcknowledgeResponse,
  ZAlertDeliveriesQuery,
  ZAlertDeliveriesResponse,
  ZAlertDeliveryResponse,
  ZAlertIdParams,
  ZAlertsQuery,
  ZUpdateAlertSettingsRequest,
} from './alerts.schema.js';
import { ZAlertSettings, ZAlertsResponse } from './insights.schema.js';
import { sendCsv, wantsCsv } from './present-rows.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
};

const ALERT_CSV_COLUMNS = [
  'id',
  'kind',
  'severity',
  'slug',
  'locale',
  'title',
  'message',
  'createdAt',
  'acknowledgedAt',
  'data',
] as const;

/** Insights alerts: the list and its acknowledgement, the analyst's thresholds and webhook, the webhook outbox. */
export function insightsAlertsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const operator = { tags: ['insights'], security: [{ bearer: [] }] };

    app.get(
      '/api/insights/alerts',
      {
        preHandler: guard('insights.read'),
        schema: {
          ...operator,
          summary: 'Alerts (declining articles, rising reasons, content gaps, translations behind), newest first',
          description: 'Also as CSV with `Accept: text/csv` or `?format=csv`.',
          querystring: ZAlertsQuery,
          response: { 200: ZAlertsResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { open, format: _format, ...filters } = request.query;
        const alerts = await listAlerts(ctx.db, {
          ...filters,
          ...(open === undefined ? {} : { open: open === 'true' }),
        });
        if (wantsCsv(request)) return sendCsv(reply, 'insights-alerts', alerts, ALERT_CSV_COLUMNS);
        return { alerts };
      },
    );

    app.post(
      '/api/insights/alerts/:id/acknowledge',
      {
        preHandler: guard('insights.write'),
        schema: {
          ...operator,
          summary: 'Marks an alert as dealt with (again: no change)',
          params: ZAlertIdParams,
          response: { 200: ZAcknowledgeResponse, ...errors },
        },
      },
      async (request) => ({
        alert: await acknowledgeAlert(ctx.db, request.params.id, { actor: auditActorOf(request) }),
      }),
    );

    app.get(
      '/api/insights/alert-settings',
      {
        preHandler: guard('insights.read'),
        schema: {
          ...operator,
          summary: 'Alert thresholds, the webhook and the daily digest (the secret only as set or not)',
          response: { 200: ZAlertSettings, ...errors },
        },
      },
      async (request) =>
        presentAlertSettings(await getStoredAlertSettings(ctx.db), {
          maskWebhook: !request.actor || !can(request.actor.role, 'insights.write'),
        }),
    );

    app.put(
      '/api/insights/alert-settings',
      {
        preHandler: guard('insights.write'),
        schema: {
          ...operator,
          summary: 'Changes some alert settings (partial; the webhook must be http(s) and public)',
          body: ZUpdateAlertSettingsRequest,
          response: { 200: ZAlertSettings, ...errors },
        },
      },
      async (request) =>
        updateAlertSettings(ctx.db, request.body, {
          actor: auditActorOf(request),
          allowPrivate: ctx.config.alerts.webhookAllowPrivate,
        }),
    );

    app.get(
      '/api/insights/alert-deliveries',
      {
        preHandler: guard('insights.write'),
        schema: {
          ...operator,
          summary: 'The webhook outbox, newest first: sent, waiting for a retry, dead',
          querystring: ZAlertDeliveriesQuery,
          response: { 200: ZAlertDeliveriesResponse, ...errors },
        },
      },
      async (request) => ({ deliveries: await listAlertDeliveries(ctx.db, request.query) }),
    );

    app.post(
      '/api/insights/alert-deliveries/:id/retry',
      {
        preHandler: guard('insights.write'),
        schema: {
          ...operator,
          summary: 'Sends a dead or waiting delivery again now (same id and body)',
          params: ZAlertIdParams,
          response: { 200: ZAlertDeliveryResponse, ...errors },
        },
      },
      async (request) => ({
        delivery: await retryAlertDelivery(ctx.db, request.params.id, { actor: auditActorOf(request) }),
      }),
    );
  };
}
