import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TicketStatus } from '../../../src/modules/feedback/feedback.tables.js';
import type { DeliveryView, HelpdeskStatus } from '../../../src/modules/forms/helpdesk.schema.js';
import { api } from './client.js';

/*
 * The ticket view as GET /api/tickets(/:id) answers it (ZTicketView in src/modules/feedback/feedback.schema.ts),
 * written out here because that schema module imports the classify and content modules' index files, which would
 * pull every server route into the app's typecheck. Keep in step with ZTicketView, ZTicketForm, ZTicketDelivery
 * and ZTicketAttachment.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export interface TicketDelivery {
  /** The outbox row (what POST /api/helpdesk/deliveries/:id/retry takes), when the server includes it. */
  id?: number | undefined;
  deliveryId: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  connector: 'webhook' | 'zendesk' | null;
  externalId: string | null;
}
export interface TicketForm {
  key: string;
  version: number;
  locale: string;
  answers: Record<string, unknown>;
  fields: { name: string; type: string; label: string }[];
  context: Record<string, unknown>;
  prediction: { category: string; confidence: number; modelVersion: number | null } | null;
}
export interface TicketAttachment {
  id: number;
  field: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}
export interface TicketView {
  id: number;
  reference?: string | null | undefined;
  externalId: string | null;
  subject: string;
  body: string;
  channel: string;
  locale: string | null;
  requester: string | null;
  status: TicketStatus;
  sourceArticle: string | null;
  source: 'api' | 'import' | 'contact_form' | 'demo';
  createdAt: string;
  updatedAt: string;
  itemId: number | null;
  labels: {
    human: { category: string; name: string; labeledBy: string; labeledAt: string }[];
    predicted: { modelVersion: number; category: string | null; name: string | null; confidence: number } | null;
  } | null;
  form?: TicketForm | null | undefined;
  delivery?: TicketDelivery | null | undefined;
  attachments?: TicketAttachment[] | undefined;
}
export { TICKET_STATUSES } from '../../../src/modules/feedback/feedback.tables.js';
export type { TicketStatus };
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed'];

/** The filters of GET /api/tickets the agent's list uses (`form` and `delivery` come with the forms module). */
export interface TicketFilters {
  status?: TicketStatus | undefined;
  form?: string | undefined;
  delivery?: DeliveryStatus | undefined;
  locale?: string | undefined;
}

export type { DeliveryView, HelpdeskStatus } from '../../../src/modules/forms/helpdesk.schema.js';

const PAGE_SIZE = 50;

/** Tickets newest first, in pages of 50 following the server's keyset cursor (nextBefore). */
export function useTickets(filters: TicketFilters) {
  return useInfiniteQuery({
    queryKey: ['tickets', filters],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam, signal }) =>
      api<{ tickets: TicketView[]; nextBefore: number | null }>('/api/tickets', {
        query: { ...filters, limit: PAGE_SIZE, before: pageParam },
        signal,
      }),
    getNextPageParam: (last) => last.nextBefore,
  });
}

export function useTicket(id: number) {
  return useQuery({
    queryKey: ['ticket', id],
    queryFn: ({ signal }) => api<TicketView>(`/api/tickets/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useUpdateTicketStatus(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (status: TicketStatus) => api<TicketView>(`/api/tickets/${id}`, { method: 'PATCH', body: { status } }),
    onSuccess: (ticket) => {
      client.setQueryData(['ticket', id], ticket);
      return client.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}

export function useHelpdesk() {
  return useQuery({
    queryKey: ['helpdesk'],
    queryFn: ({ signal }) => api<HelpdeskStatus>('/api/helpdesk', { signal }),
  });
}

/** The help-desk outbox rows with one status (failed: the dead letters waiting for a person). */
export function useDeliveries(status: DeliveryStatus, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['deliveries', status],
    queryFn: ({ signal }) =>
      api<{ deliveries: DeliveryView[]; nextBefore: number | null }>('/api/helpdesk/deliveries', {
        query: { status },
        signal,
      }),
  });
}

/** Puts a failed delivery (its outbox row id) back in the outbox: pending again, sent soon by the forwarding job. */
export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<DeliveryView>(`/api/helpdesk/deliveries/${id}/retry`, { method: 'POST', body: {} }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['ticket'] }),
        client.invalidateQueries({ queryKey: ['tickets'] }),
        client.invalidateQueries({ queryKey: ['deliveries'] }),
        client.invalidateQueries({ queryKey: ['helpdesk'] }),
      ]),
  });
}
