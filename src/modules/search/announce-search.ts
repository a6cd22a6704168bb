import type { FastifyRequest } from 'fastify';
import { type EventsService, trackingIdentity } from '../events/index.js';
import { containsPersonalData, redactPersonalData } from './detect-personal-data.js';

/**
 * Sends the tracking plan's "Search Performed" for a search the server ran: the plan says only the server sends
 * it (it alone knows the results), so the KPIs count it and ignore the same name from a browser. The query is
 * redacted as it is in search analytics; nothing is sent for readers who opted out or have no tracking id.
 */
export function announceSearch(
  events: EventsService,
  request: FastifyRequest,
  input: { locale: string; query: string; results: number; returned: readonly string[] },
): void {
  const { anonymousId } = trackingIdentity(request);
  if (!anonymousId) return;
  const query = containsPersonalData(input.query) ? redactPersonalData(input.query) : input.query;
  events.emitServerEvent({
    event: 'Search Performed',
    anonymousId,
    properties: {
      query: query.slice(0, 200),
      locale: input.locale,
      results_count: input.results,
      result_slugs: input.returned.slice(0, 50),
    },
  });
}
