import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { recordAudit } from '../accounts/index.js';
import { type SaveTopicRequest, ZSaveTopicRequest } from './content.schema.js';
import { type ContentActor, DEFAULT_CONTENT_ACTOR, forbidForTranslator } from './content-actor.js';

export interface SaveTopicResult {
  id: number;
  slug: string;
  created: boolean;
}

export interface TopicWriteOptions {
  bus?: Bus | undefined;
  /** Who saves, for the audit log (default: the system). */
  actor?: ContentActor | undefined;
}

/** A topic's fields as the audit log shows them. */
export async function topicAuditFields(trx: DB, id: number): Promise<Record<string, unknown>> {
  const topic = await trx
    .selectFrom('topics as t')
    .leftJoin('topics as p', 'p.id', 't.parent_id')
    .select(['t.position', 'p.slug as parent'])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
  const names = await trx
    .selectFrom('topic_translations')
    .select(['locale', 'name', 'description'])
    .where('topic_id', '=', id)
    .orderBy('locale')
    .execute();
  return {
    parent: topic.parent,
    position: topic.position,
    names: Object.fromEntries(names.map((n) => [n.locale, n.name])),
    descriptions: Object.fromEntries(names.map((n) => [n.locale, n.description])),
  };
}

/** Creates or updates a topic and its names per locale. A topic cannot become its own ancestor. */
export async function saveTopic(
  db: DB,
  input: SaveTopicRequest,
  options: TopicWriteOptions = {},
): Promise<SaveTopicResult> {
  const topic = ZSaveTopicRequest.parse(input);
  const actor = options.actor ?? DEFAULT_CONTENT_ACTOR;
  forbidForTranslator(actor, 'change topics');
  const result = await db.transaction().execute(async (trx) => {
    let parentId: number | null = null;
    if (topic.parent) {
      const parent = await trx.selectFrom('topics').select(['id']).where('slug', '=', topic.parent).executeTakeFirst();
      if (!parent) throw new AppError('VALIDATION_FAILED', `parent topic "${topic.parent}" does not exist`);
      parentId = parent.id;
    }
    const existing = await trx.selectFrom('topics').select(['id']).where('slug', '=', topic.slug).executeTakeFirst();
    const before = existing ? await topicAuditFields(trx, existing.id) : null;
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
    await recordAudit(trx, {
      actor,
      action: 'topic.save',
      object: { type: 'topic', id: topic.slug },
      before,
      after: await topicAuditFields(trx, id),
    });
    return { id, slug: topic.slug, created: !existing };
  });
  options.bus?.emit('topics.changed', { slug: result.slug });
  return result;
}

/** Refuses (409 TOPIC_CYCLE) to put a topic under itself or one of its own subtopics. */
export async function assertNotAncestor(trx: DB, topicId: number, newParentId: number, slug: string): Promise<void> {
  let cursor: number | null = newParentId;
  for (let depth = 0; cursor !== null && depth < 100; depth++) {
    if (cursor === topicId) {
      throw new AppError('TOPIC_CYCLE', `topic "${slug}" cannot be moved under itself or one of its subtopics`);
    }
    const row: { parent_id: number | null } | undefined = await trx
      .selectFrom('topics')
      .select('parent_id')
      .where('id', '=', cursor)
      .executeTakeFirst();
    cursor = row?.parent_id ?? null;
  }
}
