import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { detectLanguages } from './detect-language.js';

/**
 * Records the detected language of feedback items that have none yet (new votes, tickets, searches and examples;
 * rows written before migration 0025), a batch at a time. Runs in the categorisation job, so every incoming text
 * gets its language soon after it is written, and before each training snapshot, so every example has one.
 * Returns how many items it filled.
 */
export async function fillItemLanguages(db: DB, options: { batchSize?: number; maxItems?: number } = {}) {
  const batchSize = options.batchSize ?? 1000;
  const maxItems = options.maxItems ?? 50_000;
  let filled = 0;
  while (filled < maxItems) {
    const { rows } = await sql<{ id: string; text: string; locale: string | null }>`
      SELECT id::text AS id, text, locale FROM feedback_items WHERE language IS NULL ORDER BY id LIMIT ${batchSize}`.execute(
      db,
    );
    if (rows.length === 0) break;
    const detected = await detectLanguages(rows);
    // A text edited since it was read keeps its NULL (the next run reads it again): the update checks the text.
    await sql`
      UPDATE feedback_items i SET language = d.language
        FROM unnest(${rows.map((r) => r.id)}::bigint[], ${detected.map((d) => d.language)}::text[],
                    ${rows.map((r) => r.text)}::text[]) AS d(id, language, text)
       WHERE i.id = d.id AND i.text = d.text AND i.language IS NULL`.execute(db);
    filled += rows.length;
    if (rows.length < batchSize) break;
  }
  return filled;
}
