import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { saveArticle } from '../../modules/content/index.js';
import type { SimComment, SimStory } from './simulate-activity.js';

/**
 * The demo's planted stories, so that a new user sees the insights loop on first start:
 *
 * A. "A product change broke an article": the app moved the username field out of Edit profile 45 days ago; readers
 *    of "change-username" (English, read in every locale) start voting "no" and saying so in their languages; an
 *    edit (revision 2) with the new place goes live 18 days ago and the helpful rate recovers.
 * B. "A missing article": readers in several locales search for exporting a board to PDF, find nothing, and some
 *    write to support (DEMO_GAP_QUERIES, more readers and wordings than the other gaps).
 * C. "A translation behind": the English "two-factor-authentication" gained passkeys 40 days ago; the Spanish
 *    translation was not updated, so it is outdated and its readers, who see a passkey option it never mentions,
 *    find it less helpful.
 */

const DAY_MS = 86_400_000;
/** Every demo article was first published this many days before "now", so the 90 simulated days have history. */
export const DEMO_HISTORY_DAYS = 120;
/** Story A's timeline, in days before "now". */
export const STORY_A = { slug: 'change-username', brokeDaysAgo: 45, fixedDaysAgo: 18 } as const;
/** Story C's timeline. */
export const STORY_C = { slug: 'two-factor-authentication', locale: 'es', sourceChangedDaysAgo: 40 } as const;

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

const STORY_A_COMMENTS: Record<string, SimComment[]> = {
  en: [
    { text: "There's no Username field in Edit profile any more. The screen changed.", reason: 'inaccurate' },
    { text: 'The button is gone, step 3 does not exist in the app now.', reason: 'inaccurate' },
    { text: 'Edit profile only has display name and bio now, where do I change my username?', reason: 'inaccurate' },
  ],
  es: [
    { text: 'Ya no aparece el campo Nombre de usuario en Editar perfil. La pantalla cambió.', reason: 'inaccurate' },
    { text: 'El botón ya no está, el paso 3 no existe en la app.', reason: 'inaccurate' },
  ],
  ja: [
    { text: '「プロフィールを編集」にユーザー名の項目がもうありません。画面が変わっています。', reason: 'inaccurate' },
    { text: 'ボタンがなくなっていて、手順3ができません。', reason: 'inaccurate' },
  ],
  ru: [
    { text: 'В «Изменить профиль» больше нет поля «Имя пользователя». Экран изменился.', reason: 'inaccurate' },
    { text: 'Кнопки больше нет, шага 3 в приложении не существует.', reason: 'inaccurate' },
  ],
  ar: [{ text: 'لم يعد حقل اسم المستخدم موجودًا في تعديل الملف الشخصي. الشاشة تغيّرت.', reason: 'inaccurate' }],
  he: [{ text: 'שדה שם המשתמש כבר לא נמצא בעריכת פרופיל. המסך השתנה.', reason: 'inaccurate' }],
};

const STORY_C_COMMENTS: Record<string, SimComment[]> = {
  es: [
    {
      text: 'La app me ofrece una llave de acceso y el artículo no la menciona.',
      reason: 'missing_information',
    },
    { text: 'Los pasos no coinciden con lo que veo en Seguridad, hay una opción nueva.', reason: 'inaccurate' },
    { text: 'Falta explicar las llaves de acceso (passkeys).', reason: 'missing_information' },
  ],
};

const STORY_A_SECTION_BEFORE = /## Change your username\n\n[\s\S]*?\n\nUsernames must:/;
const STORY_A_SECTION_AFTER = `## Change your username

Your username has moved out of **Edit profile**: it now has its own page under **Account management**.

1. Tap your profile picture, then tap the gear icon to open **Settings**. On the web, click your profile picture in the top-right corner, then **Settings**.
2. Select **Account management** > **Username** (not **Edit profile**, which now holds only your display name, photo, bio and website).
3. Type a new username. We'll tell you straight away if it's available.
4. Tap **Change username** and confirm with your password.

Usernames must:`;

const STORY_C_INSERT_BEFORE = '## Turn on two-factor authentication';
const STORY_C_SECTION = `## Passkeys

In **Security** > **Two-factor authentication** you may also see **Passkey**. A passkey uses your phone's or computer's screen lock (fingerprint, face or PIN) instead of a 6-digit code: tap **Passkey** > **Create a passkey** and follow your device's prompts. You can keep a text message or app as a second method.

`;

/** The stories' effect on readers, for the activity simulation (see simulateActivity's `stories`). */
export function demoStories(now: Date): SimStory[] {
  const broke = daysAgo(now, STORY_A.brokeDaysAgo).getTime();
  const sourceChanged = daysAgo(now, STORY_C.sourceChangedDaysAgo).getTime();
  return [
    {
      slug: STORY_A.slug,
      popularity: 0.9,
      // ≈ 80 % helpful, ≈ 45 % once the product changed under revision 1, ≈ 80 % again with revision 2.
      helpfulRate: (at, revision) => (revision >= 2 || at.getTime() < broke ? 0.8 : 0.45),
      comments: (at, revision) => (revision < 2 && at.getTime() >= broke ? STORY_A_COMMENTS : undefined),
    },
    {
      slug: STORY_C.slug,
      articleLocale: 'en',
      popularity: 1,
      helpfulRate: () => 0.8,
    },
    {
      slug: STORY_C.slug,
      articleLocale: STORY_C.locale,
      popularity: 1,
      // Spanish readers are fewer: more of them vote here, so the gap shows with an interval that says something.
      voteRate: 0.6,
      helpfulRate: (at) => (at.getTime() < sourceChanged ? 0.78 : 0.5),
      comments: (at) => (at.getTime() >= sourceChanged ? STORY_C_COMMENTS : undefined),
    },
  ];
}

/** Publishes a new revision of an English article through the content module, then dates it `at`. */
async function publishEditAt(
  db: DB,
  slug: string,
  at: Date,
  edit: (body: string) => string,
  author: string,
): Promise<void> {
  const current = await sql<{
    translation_id: number;
    topic: string;
    title: string;
    body_md: string;
    keywords: string[];
  }>`
    SELECT t.id AS translation_id, tp.slug AS topic, r.title, r.body_md, r.keywords
      FROM article_translations t JOIN articles a ON a.id = t.article_id JOIN topics tp ON tp.id = a.topic_id
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE a.slug = ${slug} AND t.locale = 'en'`.execute(db);
  const row = current.rows[0];
  if (!row) throw new Error(`demo story: no English article "${slug}"`);
  const body = edit(row.body_md);
  if (body === row.body_md) throw new Error(`demo story: the edit of "${slug}" changed nothing`);
  const saved = await saveArticle(db, {
    slug,
    topic: row.topic,
    locale: 'en',
    title: row.title,
    body,
    keywords: row.keywords,
    author,
    publish: true,
  });
  // The publication trigger dated it now; the story dates it in the past (as an import with history would).
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE revision_publications SET ended_at = ${at}
      WHERE translation_id = ${row.translation_id} AND revision_id <> ${saved.revisionId} AND ended_at IS NOT NULL
        AND ended_at >= ${at}`.execute(trx);
    await sql`UPDATE revision_publications SET started_at = ${at}
      WHERE translation_id = ${row.translation_id} AND revision_id = ${saved.revisionId}`.execute(trx);
    await sql`UPDATE article_translations SET published_at = ${at}, updated_at = ${at}
      WHERE id = ${row.translation_id}`.execute(trx);
    await sql`UPDATE article_revisions SET created_at = ${new Date(at.getTime() - 2 * 3_600_000)}
      WHERE id = ${saved.revisionId}`.execute(trx);
  });
}

/**
 * Gives the freshly seeded content its history: every revision first published DEMO_HISTORY_DAYS ago, then the
 * stories' edits (A: the fix 18 days ago; C: the English change 40 days ago that Spanish never followed).
 */
export async function seedDemoHistory(db: DB, now: Date): Promise<void> {
  const first = daysAgo(now, DEMO_HISTORY_DAYS);
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE article_revisions SET created_at = ${new Date(first.getTime() - 3_600_000)}`.execute(trx);
    await sql`UPDATE article_translations SET published_at = ${first}, updated_at = ${first}
      WHERE status = 'published'`.execute(trx);
    await sql`UPDATE revision_publications SET started_at = ${first} WHERE ended_at IS NULL`.execute(trx);
  });
  await publishEditAt(
    db,
    STORY_C.slug,
    daysAgo(now, STORY_C.sourceChangedDaysAgo),
    (body) => body.replace(STORY_C_INSERT_BEFORE, `${STORY_C_SECTION}${STORY_C_INSERT_BEFORE}`),
    'Pinwheel Support',
  );
  await publishEditAt(
    db,
    STORY_A.slug,
    daysAgo(now, STORY_A.fixedDaysAgo),
    (body) => body.replace(STORY_A_SECTION_BEFORE, STORY_A_SECTION_AFTER),
    'Pinwheel Support',
  );
}
