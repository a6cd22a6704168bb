import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type SaveTopicRequest, ZSaveTopicRequest } from './content.schema.js';

export interface SaveTopicResult {
  id: number;
  slug: string;
  created: boolean;
}

/** Creates or updates a topic and its names per locale. A topic cannot become its own ancestor. */
export async function saveTopic(db: DB, input: SaveTopicRequest): Promise<SaveTopicResult> {
  const topic = ZSaveTopicRequest.parse(input);
  return db.transaction().execute(async (trx) => {
    let parentId: number | null = null;
    if (topic.parent) {
      const parent = await trx.selectFrom('topics').select(['id']).where('slug', '=', topic.parent).executeTakeFirst();
      if (!parent) throw new AppError('VALIDATION_FAILED', `parent topic "${topic.parent}" does not exist`);
      parentId = parent.id;
    }
    const existing = await trx.selectFrom('topics').select(['id']).where('slug', '=', topic.slug).executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      if (parentId !== null) await assertNotAncestor(trx, id, parentId, topic.slug);
      await trx
        .updateTable('topics')
        .set({ parent_id: parentId, position: topic.position })
        .where('id', '=', id)
        .execute();
    } else {
      const row = await trx
        .insertInto('topics')
        .values({ slug: topic.slug, parent_id: parentId, position: topic.position })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    for (const [locale, name] of Object.entries(topic.names)) {
      if (!name) continue;
      const description = topic.descriptions[locale as keyof typeof topic.descriptions] ?? '';
      await trx
        .insertInto('topic_translations')
        .values({ topic_id: id, locale, name, description })
        .onConflict((oc) => oc.columns(['topic_id', 'locale']).doUpdateSet({ name, description }))
        .execute();
    }
    return { id, slug: topic.slug, created: !existing };
  });
}

async function assertNotAncestor(trx: DB, topicId: number, newParentId: number, slug: string): Promise<void> {
  let cursor: number | null = newParentId;
  for (let depth = 0; cursor !== null && depth < 100; depth++) {
    if (cursor === topicId) throw new AppError('VALIDATION_FAILED', `topic "${slug}" cannot be moved under itself`);
    const row: { parent_id: number | null } | undefined = await trx
      .selectFrom('topics')
      .select('parent_id')
      .where('id', '=', cursor)
      .executeTakeFirst();
    cursor = row?.parent_id ?? null;
  }
}
