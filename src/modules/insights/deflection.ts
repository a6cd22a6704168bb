import { sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/client.js';
import { ZDeflectionResponse, ZDeflectionRow } from './insights.schema.js';
import { wilsonInterval } from './stats.js';

/** A deflection row with the contact forms' evidence: "This answered my question" on a suggested article. */
export const ZDeflectionFormsRow = ZDeflectionRow.extend({
  /** Readers who said a suggestion of this revision answered them in a contact form, in the period. */
  answeredInForm: z.number().int().optional(),
});
export const ZDeflectionFormsResponse = ZDeflectionResponse.extend({ rows: z.array(ZDeflectionFormsRow) });
export type DeflectionResponse = z.infer<typeof ZDeflectionFormsResponse>;

/**
 * Deflection per article × revision × locale over a period: reading sessions (a person reading the revision on a
 * day) not followed by opening the contact form or filing a ticket within 24 h, with the 95 % Wilson interval of
 * their share. A reader who gave up without contacting counts as deflected too: this is an upper bound on the
 * questions an article answered, not a measure of them. `answeredInForm` is the direct evidence beside it: readers
 * who ended a contact form on this revision's suggestion (a revision only suggested, never read, has a row too).
 */
export async function computeDeflection(
  db: DB,
  query: { from: string; to: string; locale?: string | undefined; slug?: string | undefined },
): Promise<DeflectionResponse> {
  const readLocale = query.locale ? sql`AND d.locale = ${query.locale}` : sql``;
  const formLocale = query.locale ? sql`AND f.locale = ${query.locale}` : sql``;
  const slug = query.slug ? sql`AND a.slug = ${query.slug}` : sql``;
  const { rows } = await sql<{
    slug: string;
    locale: string;
    revision: number;
    readers: number;
    contacted: number;
    answered: number;
  }>`
    WITH reading AS (
      SELECT d.article_id, d.locale, d.revision_id, sum(d.readers)::int AS readers, sum(d.contacted)::int AS contacted
        FROM insight_article_daily d
       WHERE d.day BETWEEN ${query.from}::date AND ${query.to}::date ${readLocale}
       GROUP BY d.article_id, d.locale, d.revision_id
    ), answered AS (
      SELECT f.article_id, f.locale, f.revision_id, count(*)::int AS answered
        FROM form_deflections f
       WHERE f.day BETWEEN ${query.from}::date AND ${query.to}::date AND f.revision_id IS NOT NULL ${formLocale}
       GROUP BY f.article_id, f.locale, f.revision_id
    )
    SELECT a.slug, coalesce(g.locale, f.locale) AS locale, r.number AS revision,
           sum(coalesce(g.readers, 0))::int AS readers, sum(coalesce(g.contacted, 0))::int AS contacted,
           sum(coalesce(f.answered, 0))::int AS answered
      FROM reading g
      FULL JOIN answered f
        ON f.article_id = g.article_id AND f.locale = g.locale AND f.revision_id = g.revision_id
      JOIN articles a ON a.id = coalesce(g.article_id, f.article_id)
      JOIN article_revisions r ON r.id = coalesce(g.revision_id, f.revision_id)
     WHERE true ${slug}
     GROUP BY a.slug, coalesce(g.locale, f.locale), r.number
    HAVING sum(coalesce(g.readers, 0)) > 0 OR sum(coalesce(f.answered, 0)) > 0
     ORDER BY sum(coalesce(g.readers, 0)) DESC, sum(coalesce(f.answered, 0)) DESC, a.slug, 2, r.number`.execute(db);
  return {
    from: query.from,
    to: query.to,
    rows: rows.map((r) => {
      const deflected = r.readers - r.contacted;
      const interval = wilsonInterval(deflected, r.readers);
      return {
        slug: r.slug,
        locale: r.locale,
        revision: r.revision,
        readers: r.readers,
        deflected,
        rate: interval.rate,
        low: interval.low,
        high: interval.high,
        answeredInForm: r.answered,
      };
    }),
  };
}
