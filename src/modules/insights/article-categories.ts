import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { countedEventSql } from '../events/index.js';
import { addDays, earlierDay, presentTexts, shareTrend, trendWindows } from './article-reasons.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { ZCategoryInsight } from './insights.schema.js';
import { CONTACT_WINDOW_HOURS } from './roll-up-insights.js';

export type CategoryInsight = z.infer<typeof ZCategoryInsight>;

/** Examples shown per category. */
export const EXAMPLES_PER_CATEGORY = 3;

interface LabelledItem {
  item_id: string;
  kind: 'vote' | 'ticket';
  category_id: number;
  slug: string;
  name: string;
  text: string;
  locale: string;
  revision: number;
  created_at: Date | string;
}

/**
 * The taxonomy categories behind one article translation's trouble: its "no" votes' comments, and the tickets tied
 * to it, either by the form, the API or an agent (tickets.source_article_id) or because the requester read the
 * article in the 24 hours before filing ("Article Viewed" then "Ticket Created" with the same anonymous id, its
 * `ticket_id` being the ticket's id or external id). Each item's categories are its human labels when it has any,
 * else the active model's predicted labels (a leaf is named as a leaf). Per category: items, from votes and from
 * tickets, share of the labelled items (an item may carry several categories, so shares can sum past 1), trend
 * (share over the last 28 days of the period − the 28 before) and up to three recent redacted examples.
 */
export async function articleCategories(
  db: DB,
  query: { slug: string; locale?: string | undefined; from: string; to: string },
): Promise<CategoryInsight[]> {
  const article = await findArticleTranslation(db, query);
  const windows = trendWindows(query.to);
  const first = earlierDay(windows.previous.from, query.from);
  const start = `${first}T00:00:00Z`;
  const end = `${addDays(query.to, 1)}T00:00:00Z`;
  const items = (
    await sql<LabelledItem>`
      WITH
      vote_items AS (
        SELECT i.id AS item_id, 'vote' AS kind, i.text, v.locale, v.revision, v.created_at
        FROM article_votes v JOIN feedback_items i ON i.kind = 'vote' AND i.source_id = v.id
        WHERE v.article_id = ${article.articleId} AND v.locale = ${article.locale} AND v.suspect IS NULL
          AND NOT v.helpful AND v.created_at >= ${start}::timestamptz AND v.created_at < ${end}::timestamptz
      ),
      tied AS (
        -- Tied by the form, the API or an agent; a ticket in no locale of the article counts for its source.
        SELECT k.id FROM tickets k
        WHERE k.source_article_id = ${article.articleId}
          AND k.created_at >= ${start}::timestamptz AND k.created_at < ${end}::timestamptz
          AND (k.locale = ${article.locale}
            OR (${article.locale} = ${article.sourceLocale} AND NOT EXISTS (
              SELECT 1 FROM article_translations t WHERE t.article_id = k.source_article_id AND t.locale = k.locale)))
      ),
      created AS (
        -- Read this translation, then filed a ticket within 24 hours.
        SELECT DISTINCT c.properties->>'ticket_id' AS ticket_ref
        FROM events r
        JOIN events c ON c.anonymous_id = r.anonymous_id AND c.event = 'Ticket Created'
          AND c."timestamp" > r."timestamp" AND c."timestamp" <= r."timestamp" + make_interval(hours => ${CONTACT_WINDOW_HOURS})
          AND ${countedEventSql('c')}
        WHERE r.event = 'Article Viewed' AND r.properties->>'article_slug' = ${article.slug}
          AND r.properties->>'article_locale' = ${article.locale}
          AND r."timestamp" >= ${start}::timestamptz - make_interval(hours => ${CONTACT_WINDOW_HOURS})
          AND r."timestamp" < ${end}::timestamptz
          AND r.anonymous_id IS NOT NULL AND ${countedEventSql('r')}
      ),
      read_before AS (
        SELECT k.id FROM created c JOIN tickets k ON k.external_id = c.ticket_ref
        UNION
        SELECT k.id FROM created c JOIN tickets k
          ON k.id = CASE WHEN c.ticket_ref ~ '^[0-9]{1,18}$' THEN c.ticket_ref::bigint END
      ),
      ticket_items AS (
        SELECT i.id AS item_id, 'ticket' AS kind, i.text, ${article.locale}::text AS locale,
               coalesce((SELECT r.number FROM revision_publications p JOIN article_revisions r ON r.id = p.revision_id
                          WHERE p.translation_id = ${article.translationId} AND p.started_at <= k.created_at
                          ORDER BY p.started_at DESC, p.id DESC LIMIT 1), 1) AS revision,
               k.created_at
        FROM (SELECT id FROM tied UNION SELECT id FROM read_before) linked
        JOIN tickets k ON k.id = linked.id
        JOIN feedback_items i ON i.kind = 'ticket' AND i.source_id = k.id
        WHERE k.created_at >= ${start}::timestamptz AND k.created_at < ${end}::timestamptz
      ),
      all_items AS (SELECT * FROM vote_items UNION ALL SELECT * FROM ticket_items),
      labels AS (
        -- Human labels win; an item no one labelled takes the active model's.
        SELECT h.item_id, h.category_id FROM human_labels h WHERE h.item_id IN (SELECT item_id FROM all_items)
        UNION ALL
        SELECT l.item_id, l.category_id
        FROM predicted_labels l JOIN model_versions m ON m.id = l.model_version_id AND m.is_active
        WHERE l.item_id IN (SELECT item_id FROM all_items)
          AND NOT EXISTS (SELECT 1 FROM human_labels h WHERE h.item_id = l.item_id)
      )
      SELECT a.item_id::text AS item_id, a.kind, l.category_id, c.slug,
             coalesce(
               (SELECT n.name FROM taxonomy_category_names n WHERE n.category_id = c.id AND n.locale = ${article.locale}),
               (SELECT n.name FROM taxonomy_category_names n WHERE n.category_id = c.id AND n.locale = 'en'),
               c.slug) AS name,
             a.text, a.locale, a.revision, a.created_at
      FROM all_items a JOIN labels l ON l.item_id = a.item_id JOIN taxonomy_categories c ON c.id = l.category_id
      ORDER BY a.created_at DESC, a.item_id DESC`.execute(db)
  ).rows;
  return summariseCategories(items, { from: query.from, to: query.to, windows });
}

function dayOfRow(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Per category counts, shares and trends from the labelled items (newest first). */
function summariseCategories(
  items: readonly LabelledItem[],
  range: { from: string; to: string; windows: ReturnType<typeof trendWindows> },
): CategoryInsight[] {
  const inRange = (day: string, w: { from: string; to: string }) => day >= w.from && day <= w.to;
  const labelled = { period: new Set<string>(), recent: new Set<string>(), previous: new Set<string>() };
  const byCategory = new Map<
    number,
    { slug: string; name: string; period: LabelledItem[]; recent: Set<string>; previous: Set<string> }
  >();
  for (const item of items) {
    const day = dayOfRow(item.created_at);
    let entry = byCategory.get(item.category_id);
    if (!entry) {
      entry = { slug: item.slug, name: item.name, period: [], recent: new Set(), previous: new Set() };
      byCategory.set(item.category_id, entry);
    }
    if (inRange(day, range)) {
      labelled.period.add(item.item_id);
      entry.period.push(item);
    }
    if (inRange(day, range.windows.recent)) {
      labelled.recent.add(item.item_id);
      entry.recent.add(item.item_id);
    }
    if (inRange(day, range.windows.previous)) {
      labelled.previous.add(item.item_id);
      entry.previous.add(item.item_id);
    }
  }
  const out: CategoryInsight[] = [];
  for (const [id, entry] of byCategory) {
    const count = entry.period.length;
    if (count === 0) continue;
    out.push({
      category: { id, slug: entry.slug, name: entry.name },
      count,
      fromVotes: entry.period.filter((i) => i.kind === 'vote').length,
      fromTickets: entry.period.filter((i) => i.kind === 'ticket').length,
      share: count / labelled.period.size,
      trend: shareTrend(
        { part: entry.recent.size, whole: labelled.recent.size },
        { part: entry.previous.size, whole: labelled.previous.size },
      ),
      examples: presentTexts(
        entry.period.map((i) => ({
          text: i.text,
          locale: i.locale,
          revision: i.revision,
          createdAt: new Date(i.created_at).toISOString(),
        })),
        EXAMPLES_PER_CATEGORY,
      ),
    });
  }
  return out.sort((a, b) => b.count - a.count || a.category.slug.localeCompare(b.category.slug));
}
