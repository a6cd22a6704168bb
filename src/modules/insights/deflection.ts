import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import type { ZDeflectionResponse } from './insights.schema.js';
import { wilsonInterval } from './stats.js';

export type DeflectionResponse = z.infer<typeof ZDeflectionResponse>;

/**
 * Deflection per article × revision × locale over a period: reading sessions (a person reading the revision on a
 * day) not followed by opening the contact form or filing a ticket within 24 h, with the 95 % Wilson interval of
 * their share. A reader who gave up without contacting counts as deflected too: this is an upper bound on the
 * questions an article answered, not a measure of them.
 */
export async function computeDeflection(
  db: DB,
  query: { from: string; to: string; locale?: string | undefined; slug?: string | undefined },
): Promise<DeflectionResponse> {
  const locale = query.locale ? sql`AND d.locale = ${query.locale}` : sql``;
  const slug = query.slug ? sql`AND a.slug = ${query.slug}` : sql``;
  const { rows } = await sql<{ slug: string; locale: string; revision: number; readers: number; contacted: number }>`
    SELECT a.slug, d.locale, r.number AS revision, sum(d.readers)::int AS readers, sum(d.contacted)::int AS contacted
    FROM insight_article_daily d
    JOIN articles a ON a.id = d.article_id
    JOIN article_revisions r ON r.id = d.revision_id
    WHERE d.day BETWEEN ${query.from}::date AND ${query.to}::date ${locale} ${slug}
    GROUP BY a.slug, d.locale, r.number
    HAVING sum(d.readers) > 0
    ORDER BY sum(d.readers) DESC, a.slug, d.locale, r.number`.execute(db);
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
      };
    }),
  };
}
