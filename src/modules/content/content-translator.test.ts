import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { buildArticle, buildTopic } from './content.factories.js';
import type { ContentActor } from './content-actor.js';
import { markTranslationCurrent } from './mark-translation-current.js';
import { moveTopic } from './move-topic.js';
import { publishTranslation, unpublishTranslation } from './publish-translation.js';
import { restoreRevision } from './restore-revision.js';
import { saveArticle } from './save-article.js';
import { saveTopic } from './save-topic.js';

/** Translator rules are enforced in the operations, whatever calls them (HTTP, CLI, scripts). */
describe('translator rules', () => {
  let database: DatabaseHandle;
  const translator: ContentActor = { via: 'session', userId: 1, label: 't@x', role: 'translator', locales: ['ar'] };
  const editor: ContentActor = { via: 'session', userId: 2, label: 'e@x', role: 'editor', locales: [] };
  const base = { slug: 'reset', topic: 'account', title: 'ترجمة', body: 'نص', keywords: [] };

  const forbidden = async (work: Promise<unknown>, message: RegExp) => {
    await expect(work).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
      message: expect.stringMatching(message),
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await buildTopic(database.db, { slug: 'account' });
    await buildTopic(database.db, { slug: 'other' });
    await buildArticle(database.db, { slug: 'reset', topic: 'account', title: 'Reset', body: 'Steps.' });
    await buildArticle(database.db, { slug: 'reset', topic: 'account', locale: 'es', title: 'Restablecer' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('lets a translator save, publish, restore and mark current in their own locale, as its author', async () => {
    const db = database.db;
    const saved = await saveArticle(db, { ...base, locale: 'ar', author: 'ignored' }, { actor: translator });
    expect(saved.revision).toBe(1);
    await saveArticle(db, { ...base, locale: 'ar', title: 'ترجمة ٢' }, { actor: translator });
    await publishTranslation(db, { slug: 'reset', locale: 'ar' }, { actor: translator });
    await restoreRevision(db, { slug: 'reset', locale: 'ar', number: 1 }, { actor: translator });
    await unpublishTranslation(db, { slug: 'reset', locale: 'ar' }, { actor: translator });
    const authors = await db
      .selectFrom('article_revisions as r')
      .innerJoin('article_translations as t', 't.id', 'r.translation_id')
      .select(['r.number', 'r.author'])
      .where('t.locale', '=', 'ar')
      .orderBy('r.number')
      .execute();
    expect(authors).toEqual([
      { number: 1, author: 't@x' },
      { number: 2, author: 't@x' },
      { number: 3, author: 't@x' },
    ]);
    // The source moves on; the translator says the Arabic text still holds.
    await saveArticle(
      db,
      { ...base, locale: 'en', title: 'Reset', body: 'Steps, again.', publish: true },
      { actor: editor },
    );
    const marked = await markTranslationCurrent(db, { slug: 'reset', locale: 'ar' }, { actor: translator });
    expect(marked).toMatchObject({ revision: 4, unchanged: false });
    const actions = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('object_id', '=', 'reset/ar')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'article.save',
      'article.save',
      'article.publish',
      'article.restore',
      'article.unpublish',
      'article.mark-current',
    ]);
    expect(new Set(actions.map((a) => a.actor_label))).toEqual(new Set(['t@x']));
  });

  it('refuses a translator other locales, the source language, new articles, topics and positions', async () => {
    const db = database.db;
    await forbidden(saveArticle(db, { ...base, locale: 'es' }, { actor: translator }), /you translate ar, not es/);
    await forbidden(
      saveArticle(db, { ...base, locale: 'en' }, { actor: { ...translator, locales: ['ar', 'en'] } }),
      /source language/,
    );
    await forbidden(
      saveArticle(db, { ...base, slug: 'brand-new', locale: 'ar' }, { actor: translator }),
      /create articles/,
    );
    await forbidden(
      saveArticle(db, { ...base, topic: 'other', locale: 'ar' }, { actor: translator }),
      /topic or position/,
    );
    await forbidden(
      saveArticle(db, { ...base, position: 5, locale: 'ar' }, { actor: translator }),
      /topic or position/,
    );
    await forbidden(publishTranslation(db, { slug: 'reset', locale: 'es' }, { actor: translator }), /not es/);
    await forbidden(unpublishTranslation(db, { slug: 'reset', locale: 'es' }, { actor: translator }), /not es/);
    await forbidden(restoreRevision(db, { slug: 'reset', locale: 'es', number: 1 }, { actor: translator }), /not es/);
    await forbidden(markTranslationCurrent(db, { slug: 'reset', locale: 'es' }, { actor: translator }), /not es/);
    await forbidden(saveTopic(db, { slug: 'account', names: { en: 'X' } }, { actor: translator }), /topics/);
    await forbidden(moveTopic(db, { slug: 'other', parent: 'account', position: 0 }, { actor: translator }), /topics/);

    // Nothing was written by the refused calls.
    const articles = await db.selectFrom('articles').select(['slug', 'topic_id', 'position']).orderBy('slug').execute();
    expect(articles.map((a) => a.slug)).toEqual(['reset']);
    expect(articles[0]!.position).toBe(0);
    const es = await db
      .selectFrom('article_translations')
      .select(['status'])
      .where('locale', '=', 'es')
      .executeTakeFirstOrThrow();
    expect(es.status).toBe('published');
    const refusedAudit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_label', '=', 't@x')
      .where('object_id', 'in', ['reset/es', 'reset/en', 'brand-new/ar', 'account', 'other'])
      .execute();
    expect(refusedAudit).toEqual([]);

    // An editor may do what the translator may not.
    await expect(
      saveArticle(db, { ...base, locale: 'es', title: 'Restablecer 2' }, { actor: editor }),
    ).resolves.toMatchObject({
      revision: 2,
    });
  });
});
