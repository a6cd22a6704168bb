import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import type { MessageType } from './events.tables.js';

/** What a message that breaks its event's schema does: stored and flagged, or not stored (flagged either way). */
export const VIOLATION_ACTIONS = ['accept_and_flag', 'drop_and_flag'] as const;
export type ViolationAction = (typeof VIOLATION_ACTIONS)[number];

/** What a track call whose event is not in the plan does. */
export const UNPLANNED_ACTIONS = ['accept', 'accept_and_flag', 'drop_and_flag'] as const;
export type UnplannedAction = (typeof UNPLANNED_ACTIONS)[number];

const ZJsonSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === 'object', { message: 'an event schema must have "type": "object"' });

export const ZPlanEvent = z.object({
  description: z.string().max(1000).default(''),
  onViolation: z.enum(VIOLATION_ACTIONS).default('accept_and_flag'),
  /** JSON Schema (draft 2020-12 subset that ajv supports) of the message's properties (traits for Identify/Group). */
  schema: ZJsonSchema,
});
export type PlanEvent = z.infer<typeof ZPlanEvent>;

const ZEventName = z.string().trim().min(1).max(LIMITS.eventName);

export const ZTrackingPlan = z.object({
  unplanned: z.enum(UNPLANNED_ACTIONS).default('accept_and_flag'),
  events: z.record(ZEventName, ZPlanEvent),
});
export type TrackingPlan = z.infer<typeof ZTrackingPlan>;

/**
 * The plan key a message is checked against: a track call by its event name, page and screen calls by the
 * reserved names "Page Viewed" and "Screen Viewed", identify and group traits by "Identify" and "Group".
 * Alias calls carry no payload to check.
 */
export function planKeyOf(type: MessageType, event: string | undefined): string | null {
  switch (type) {
    case 'track':
      return event ?? null;
    case 'page':
      return 'Page Viewed';
    case 'screen':
      return 'Screen Viewed';
    case 'identify':
      return 'Identify';
    case 'group':
      return 'Group';
    default:
      return null;
  }
}

const slug = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: LIMITS.slug };
const locale = { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 };
const query = { type: 'string', minLength: 1, maxLength: LIMITS.searchQuery };
const position = { type: 'integer', minimum: 1, maximum: 1000 };
const revision = { type: 'integer', minimum: 1 };
const text = (max: number) => ({ type: 'string', maxLength: max });

/** The help center's own tracking plan, version 1 of every new installation. */
export const BUILT_IN_PLAN: TrackingPlan = {
  unplanned: 'accept_and_flag',
  events: {
    'Page Viewed': {
      description: 'A page of the help center was shown (a page call). Sent by the browser snippet.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: {
          path: text(2000),
          url: text(4000),
          title: text(500),
          referrer: text(4000),
          search: text(2000),
          locale,
        },
        required: ['path'],
      },
    },
    'Search Performed': {
      description: 'A reader searched; sent by the server, which sees the query and the number of results.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: {
          query,
          locale,
          results_count: { type: 'integer', minimum: 0 },
          result_slugs: { type: 'array', items: slug, maxItems: 50 },
        },
        required: ['query', 'locale', 'results_count'],
      },
    },
    'Search Suggestion Clicked': {
      description: 'A reader picked a suggestion from the search box while typing.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { query, suggestion: text(500), article_slug: slug, position, locale },
        required: ['query', 'position', 'locale'],
      },
    },
    'Search Result Clicked': {
      description: 'A reader opened an article from the search results page.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { query, article_slug: slug, position, locale },
        required: ['query', 'article_slug', 'position', 'locale'],
      },
    },
    'Article Viewed': {
      description: 'An article was read: which one, in which language and revision.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { article_slug: slug, article_locale: locale, revision, locale },
        required: ['article_slug', 'article_locale', 'revision', 'locale'],
      },
    },
    'Article Voted': {
      description:
        'A reader answered "was this helpful?". Malformed votes would skew helpfulness, so they are dropped.',
      onViolation: 'drop_and_flag',
      schema: {
        type: 'object',
        properties: {
          article_slug: slug,
          article_locale: locale,
          revision,
          helpful: { type: 'boolean' },
          reason: {
            type: 'string',
            enum: ['inaccurate', 'hard_to_understand', 'missing_information', 'did_not_solve', 'other'],
          },
          has_comment: { type: 'boolean' },
          locale,
        },
        required: ['article_slug', 'helpful', 'locale'],
      },
    },
    'Contact Form Viewed': {
      description: 'The contact form was opened, from an article or not.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { locale, article_slug: slug, form: text(120) },
        required: ['locale'],
      },
    },
    'Contact Form Step Completed': {
      description: 'A step of the contact form (conditional logic) was completed.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: {
          locale,
          form: text(120),
          step: { type: 'integer', minimum: 1, maximum: 50 },
          step_name: text(120),
        },
        required: ['locale', 'step'],
      },
    },
    'Contact Form Submitted': {
      description: 'The contact form was sent.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { locale, form: text(120), article_slug: slug, steps: { type: 'integer', minimum: 1 } },
        required: ['locale'],
      },
    },
    'Ticket Created': {
      description: 'A support ticket was filed; sent by the server when it stores the ticket.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: {
          ticket_id: text(120),
          source: { type: 'string', enum: ['contact_form', 'api', 'import', 'email'] },
          locale,
          article_slug: slug,
        },
        required: ['ticket_id', 'source'],
      },
    },
    'Contact Form Suggestion Shown': {
      description: 'Articles were suggested while the reader typed into a contact form.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: {
          locale,
          form: text(120),
          article_slugs: { type: 'array', items: slug, maxItems: 10 },
          count: { type: 'integer', minimum: 0, maximum: 10 },
        },
        required: ['locale', 'form', 'article_slugs'],
      },
    },
    'Contact Form Suggestion Clicked': {
      description: 'The reader opened an article suggested in a contact form.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { locale, form: text(120), article_slug: slug, position },
        required: ['locale', 'form', 'article_slug'],
      },
    },
    'Contact Form Deflected': {
      description: '"This answered my question" on a suggested article: the reader left the form without a ticket.',
      onViolation: 'accept_and_flag',
      schema: {
        type: 'object',
        properties: { locale, form: text(120), article_slug: slug, revision },
        required: ['locale', 'form', 'article_slug'],
      },
    },
  },
};
