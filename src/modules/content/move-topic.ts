import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { recordAudit } from '../accounts/index.js';
import { DEFAULT_CONTENT_ACTOR, forbidForTranslator } from './content-actor.js';
import type { TopicWriteOptions } from './save-topic.js';

export interface MoveTopicInput {
  slug: string;
  /** The new parent's slug, or null for the top level. */
  parent: string | null;
  /** The place among its new siblings, from 0; past the end means last. */
  position: number;
}

/**
 * Moves a topic under a new parent (or to the top level) at a place among its siblings. Both the old and the new
 * siblings are renumbered 0, 1, 2… in one transaction, so positions stay dense and unique whatever they were before.
 */
export async function moveTopic(db: DB, input: MoveTopicInput, options: TopicWriteOptions = {}): Promise<void> {
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  forbidForTranslator(actor, 'move topics');
  await db.transaction().execute(async (trx) => {
    // The whole (small) tree is read locked: two moves at once would otherwise renumber from stale positions.
    const { rows } = await sql<{ id: number; slug: string; parent_id: number | null; position: number }>`
      SELECT id, slug, parent_id, position FROM topics ORDER BY position, slug FOR UPDATE`.execute(trx);
    const bySlug = new Map(rows.map((r) => [r.slug, r]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const topic = bySlug.get(input.slug);
    if (!topic) throw notFound(`topic "${input.slug}"`);
    let parentId: number | null = null;
    if (input.parent !== null) {
      const parent = bySlug.get(input.parent);
      if (!parent) throw new AppError('VALIDATION_FAILED', `parent topic "${input.parent}" does not exist`);
      for (let cursor: typeof parent | undefined = parent; cursor; ) {
        if (cursor.id === topic.id) {
          throw new AppError(
            'TOPIC_CYCLE',
            `topic "${input.slug}" cannot be moved under itself or one of its subtopics ("${input.parent}")`,
          );
        }
        cursor = cursor.parent_id === null ? undefined : byId.get(cursor.parent_id);
      }
      parentId = parent.id;
    }
    const beforeParent = topic.parent_id === null ? null : (byId.get(topic.parent_id)?.slug ?? null);
    const before = { parent: beforeParent, position: topic.position };

    const siblingsOf = (parent: number | null) => rows.filter((r) => r.parent_id === parent && r.id !== topic.id);
    const newSiblings = siblingsOf(parentId);
    const at = Math.min(input.position, newSiblings.length);
    newSiblings.splice(at, 0, topic);
    const updates = new Map<number, { position: number; parent_id: number | null }>();
    newSiblings.forEach((r, i) => {
      if (r.position !== i || r.id === topic.id) updates.set(r.id, { position: i, parent_id: parentId });
    });
    if (topic.parent_id !== parentId) {
      siblingsOf(topic.parent_id).forEach((r, i) => {
        if (r.position !== i) updates.set(r.id, { position: i, parent_id: r.parent_id });
      });
    }
    for (const [id, change] of updates) {
      await trx.updateTable('topics').set(change).where('id', '=', id).execute();
    }
    await recordAudit(trx, {
      actor,
      action: 'topic.move',
      object: { type: 'topic', id: input.slug },
      before,
      after: { parent: input.parent, position: at },
    });
  });
  options.bus?.emit('topics.changed', { slug: input.slug });
}
