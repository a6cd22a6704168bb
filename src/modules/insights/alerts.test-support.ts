import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { VOTE_REASONS } from '../feedback/index.js';

let batch = 0;

/**
 * Inserts counted votes on the published revision of an article's translation, spread evenly over `days` days from
 * `from` (UTC): `helpful` "yes" votes, and per reason that many "no" votes (`null`: no reason given).
 */
export async function plantVotes(
  db: DB,
  options: {
    slug: string;
    locale?: string;
    from: string;
    days: number;
    helpful?: number;
    no: Partial<Record<(typeof VOTE_REASONS)[number] | 'none', number>>;
  },
): Promise<void> {
  const locale = options.locale ?? 'en';
  const groups: [boolean, string | null, number][] = [[true, null, options.helpful ?? 0]];
  for (const [reason, count] of Object.entries(options.no))
    groups.push([false, reason === 'none' ? null : reason, count]);
  for (const [helpful, reason, count] of groups) {
    if (count <= 0) continue;
    batch += 1;
    await sql`
      INSERT INTO article_votes (article_id, revision_id, revision, locale, reader_locale, reader_id, helpful, reason,
                                 created_at, updated_at, source)
      SELECT a.id, r.id, r.number, t.locale, t.locale, ${`plant-${batch}-`} || g, ${helpful}, ${reason},
             ${`${options.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${options.days})::int),
             ${`${options.from}T12:00:00Z`}::timestamptz + make_interval(days => (g % ${options.days})::int), 'demo'
      FROM articles a
      JOIN article_translations t ON t.article_id = a.id AND t.locale = ${locale}
      JOIN article_revisions r ON r.id = t.published_revision_id
      CROSS JOIN generate_series(1, ${count}::int) AS g
      WHERE a.slug = ${options.slug}`.execute(db);
  }
}
