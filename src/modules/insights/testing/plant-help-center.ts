import { sql } from 'kysely';
import type { DB } from '../../../db/client.js';
import { mulberry32 } from '../../../shared/random.js';
import { ensureMonthPartitions } from '../../events/index.js';
import { normalizeQuery } from '../../search/index.js';
import { dayOf, rollUpInsights } from '../roll-up-insights.js';

/**
 * A synthetic help center with PLANTED truth, for testing that the insights find what is there (and nothing else):
 * articles whose helpful rate falls, edits that help, hurt or do nothing, a dip everywhere (seasonality), and a
 * topic readers search and file tickets about that no article covers. Deterministic for a seed (mulberry32).
 * Separate from the demo: its numbers are drawn from stated distributions, so a test can score the insights.
 * Deterministic whatever the day it runs, too: the weekly pattern follows the days' offsets from today, as if today
 * were `todayWeekday`, not the calendar (it once did, and the draws, so the scores, changed with the weekday).
 */

export interface PlantOptions {
  seed?: number;
  /** "Now": data covers the `days` whole UTC days before today. */
  now?: Date;
  articles?: number;
  days?: number;
  /** Mean votes a day of an average English translation (the Spanish one gets 60 % of it). */
  votesPerDay?: number;
  /**
   * The weekday (0 Sunday … 6 Saturday) "today" is taken to be, for the weekend dip in votes; by default Tuesday,
   * the weekday of the default seed's date (2026-03-10).
   */
  todayWeekday?: number;
}

export interface PlantedEdit {
  slug: string;
  locale: string;
  /** The revision that went live (2) and what it did to the true helpful rate (+0.15, −0.15 or 0). */
  revision: number;
  effect: number;
  publishedAt: string;
}

export interface PlantedDecline {
  slug: string;
  locale: string;
  /** True mean rate in the baseline window minus in the recent window, beyond the dip everywhere. */
  decline: number;
  /** A planted decline, or a harmful edit published shortly before or in the recent window (a real fall too). */
  cause: 'planted' | 'edit';
}

export interface PlantedTruth {
  /** The planted declines: 8 articles × 2 locales whose true rate fell by 15–30 points in the recent window. */
  declining: PlantedDecline[];
  /**
   * Other translations whose true rate fell by at least MATERIAL_DECLINE between the default baseline window (the
   * BASELINE_DAYS before the last RECENT_DAYS) and the recent one, beyond the dip: harmful edits published shortly
   * before or in the recent window. Finding one is right (not a false find), missing one is not counted.
   */
  alsoDeclined: PlantedDecline[];
  ambiguous: PlantedDecline[];
  edits: PlantedEdit[];
  /** Every phrase readers used for the missing topic: their searches and their tickets' subjects. */
  gapPhrases: string[];
  /** The first and last day with data. */
  from: string;
  to: string;
  counts: { articles: number; votes: number; events: number; searches: number; tickets: number };
}

/** The planted decline and the seasonal dip cover the last this-many days, today included (the default window). */
export const RECENT_DAYS = 28;
/** The baseline window of "declining" (before the recent one), as the declining insight defaults to. */
export const BASELINE_DAYS = 90;
/** A true fall of at least this much (rate points) is a decline to find. */
export const MATERIAL_DECLINE = 0.1;
/** Every article's true rate in the recent window, in rate points: a dip everywhere is not an article's decline. */
export const SEASONAL_DIP = -0.08;
const DECLINING_ARTICLES = 8;
/** Share of readers whose reading sessions are tracked as events (analytics consent). */
const TRACKED_SHARE = 0.3;
const EDITS_PER_EFFECT = 8;
const EDIT_EFFECTS = [0.15, -0.15, 0] as const;
const LOCALES = ['en', 'es'] as const;
const DAY_MS = 86_400_000;
const REASONS = ['inaccurate', 'hard_to_understand', 'missing_information', 'did_not_solve', 'other'] as const;

const VERBS: [string, string][] = [
  ['Change', 'Cambiar'],
  ['Reset', 'Restablecer'],
  ['Delete', 'Eliminar'],
  ['Share', 'Compartir'],
  ['Set up', 'Configurar'],
  ['Turn off', 'Desactivar'],
];
const NOUNS: [string, string][] = [
  ['your password', 'tu contraseña'],
  ['your email address', 'tu correo electrónico'],
  ['your profile photo', 'tu foto de perfil'],
  ['an invoice', 'una factura'],
  ['a payment card', 'una tarjeta de pago'],
  ['a team seat', 'un puesto de equipo'],
  ['notifications', 'las notificaciones'],
  ['a calendar', 'un calendario'],
  ['a workspace', 'un espacio de trabajo'],
  ['two-step sign-in', 'el inicio de sesión en dos pasos'],
];
const TOPICS = ['account', 'billing', 'teams', 'security', 'settings'];

/** The missing topic: what readers type (no article matches) and what they write to support. */
const GAP_SEARCHES: Record<(typeof LOCALES)[number], string[]> = {
  en: ['export to pdf', 'export board as pdf', 'pdf export', 'download as pdf', 'save as pdf'],
  es: ['exportar a pdf', 'exportar como pdf', 'descargar en pdf', 'guardar como pdf'],
};
const GAP_TICKETS: Record<(typeof LOCALES)[number], string[]> = {
  en: ['How do I export to PDF?', 'Export as PDF is missing', 'Need to download my work as PDF'],
  es: ['¿Cómo exporto a PDF?', 'No encuentro exportar como PDF'],
};

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1, which is all we draw). */
function gamma(random: () => number, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function beta(random: () => number, a: number, b: number): number {
  const x = gamma(random, a);
  return x / (x + gamma(random, b));
}

/** Poisson by multiplication (Knuth): the means here are small. */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const clamp = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));

interface PlanTranslation {
  article: number;
  slug: string;
  topic: string;
  locale: (typeof LOCALES)[number];
  title: string;
  keywords: string[];
  /** True helpful rate outside the recent window, before any edit. */
  rate: number;
  votesPerDay: number;
  drop: number;
  edit: { at: number; effect: number } | null;
}

/** Writes `rows` (objects of equal keys) with one INSERT … SELECT FROM unnest per chunk: fast on PGlite and PostgreSQL. */
async function insertUnnest(
  db: DB,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
  chunk = 20_000,
): Promise<void> {
  const names = Object.keys(columns);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const arrays = names.map((name) => sql`${part.map((r) => r[name] ?? null)}::${sql.raw(columns[name]!)}[]`);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
      SELECT * FROM unnest(${sql.join(arrays)})`.execute(db);
  }
}

/**
 * Plants the synthetic help center in an empty database (articles, publication history, votes pinned to the
 * revision read, reading sessions and contacts as events, searches and tickets), rolls up its insights, and returns
 * what was planted.
 */
export async function plantHelpCenter(db: DB, options: PlantOptions = {}): Promise<PlantedTruth> {
  const random = mulberry32(options.seed ?? 20_260_310);
  const now = options.now ?? new Date();
  const days = options.days ?? 150;
  const articleCount = Math.min(options.articles ?? 60, VERBS.length * NOUNS.length);
  const meanVotes = options.votesPerDay ?? 4;
  const todayWeekday = options.todayWeekday ?? 2;
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  const dayStart = (offset: number) => today + offset * DAY_MS;
  const recentStart = -(RECENT_DAYS - 1);

  // The articles: a true rate per article from Beta(7, 3) (mean 0.7), each translation near it; a popularity.
  const combos = shuffle(
    random,
    VERBS.flatMap((v, i) => NOUNS.map((n, j) => ({ i, j, en: `${v[0]} ${n[0]}`, es: `${v[1]} ${n[1]}` }))),
  ).slice(0, articleCount);
  const plan: PlanTranslation[] = [];
  const popularity: number[] = [];
  combos.forEach((combo, article) => {
    const rate = beta(random, 7, 3);
    const votes = meanVotes * (0.4 + 1.6 * random() ** 1.5);
    popularity.push(votes);
    const slug = combo.en.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    for (const locale of LOCALES) {
      const title = locale === 'en' ? combo.en : combo.es;
      plan.push({
        article,
        slug,
        topic: TOPICS[article % TOPICS.length]!,
        locale,
        title,
        keywords: [title.toLowerCase()],
        // Kept where a planted ±15-point edit and the dip still leave a rate inside (0, 1).
        rate: clamp(locale === 'en' ? rate : rate - 0.03 + 0.04 * normal(random), 0.35, 0.8),
        votesPerDay: locale === 'en' ? votes : votes * 0.6,
        drop: 0,
        edit: null,
      });
    }
  });

  // PLANTED: 8 declining articles (both translations), among the busier half, since a decline nobody votes on
  // cannot be seen; then 24 edits on other translations, 8 of each effect, published between day −60 and −20.
  const byPopularity = [...popularity.keys()].sort((a, b) => popularity[b]! - popularity[a]!);
  const declining = shuffle(random, byPopularity.slice(0, Math.floor(articleCount / 2))).slice(0, DECLINING_ARTICLES);
  for (const article of declining) {
    const drop = 0.15 + 0.15 * random();
    for (const t of plan.filter((x) => x.article === article)) t.drop = drop;
  }
  const editable = shuffle(
    random,
    plan.filter((t) => !declining.includes(t.article)),
  );
  const effects = shuffle(
    random,
    EDIT_EFFECTS.flatMap((e) => Array.from({ length: EDITS_PER_EFFECT }, () => e)),
  );
  const editedArticles = new Set<number>();
  for (const t of editable) {
    if (editedArticles.size === effects.length) break;
    if (editedArticles.has(t.article)) continue;
    editedArticles.add(t.article);
    const effect = effects[editedArticles.size - 1]!;
    t.edit = { at: dayStart(-60 + Math.floor(random() * 41)) + Math.floor(random() * DAY_MS), effect };
  }

  // Content: topics, articles, translations (draft, then published backdated so the trigger records the history).
  const firstDay = -days;
  const publishedAt = new Date(dayStart(firstDay - 10));
  await insertUnnest(
    db,
    'topics',
    { slug: 'text', position: 'int' },
    TOPICS.map((slug, position) => ({ slug, position })),
  );
  await sql`INSERT INTO topic_translations (topic_id, locale, name)
    SELECT id, l, initcap(slug) FROM topics CROSS JOIN unnest(${[...LOCALES]}::text[]) AS l`.execute(db);
  const articles = plan.filter((t) => t.locale === 'en');
  await sql`INSERT INTO articles (slug, topic_id, source_locale, position, created_at)
    SELECT a.slug, t.id, 'en', a.position, ${publishedAt}::timestamptz
    FROM unnest(${articles.map((a) => a.slug)}::text[], ${articles.map((a) => a.topic)}::text[],
                ${articles.map((a) => a.article)}::int[]) AS a(slug, topic, position)
    JOIN topics t ON t.slug = a.topic`.execute(db);
  await sql`INSERT INTO article_translations (article_id, locale, created_at)
    SELECT a.id, l, ${publishedAt}::timestamptz FROM articles a CROSS JOIN unnest(${[...LOCALES]}::text[]) AS l`.execute(
    db,
  );
  const body = (t: PlanTranslation, revision: number) =>
    t.locale === 'en'
      ? `How to ${t.title.toLowerCase()}.\n\n1. Open **Settings**.\n2. Follow the steps on screen.${revision > 1 ? '\n\nUpdated steps.' : ''}`
      : `Cómo ${t.title.toLowerCase()}.\n\n1. Abre **Ajustes**.\n2. Sigue los pasos en pantalla.${revision > 1 ? '\n\nPasos actualizados.' : ''}`;
  const revisionRows = plan.map((t) => ({
    slug: t.slug,
    locale: t.locale,
    number: 1,
    title: t.title,
    body_md: body(t, 1),
    keywords: JSON.stringify(t.keywords),
    created_at: publishedAt,
  }));
  await sql`INSERT INTO article_revisions (translation_id, number, title, body_md, keywords, author, created_at)
    SELECT tr.id, r.number, r.title, r.body_md, ARRAY(SELECT jsonb_array_elements_text(r.keywords::jsonb)),
           'Planted', r.created_at
    FROM unnest(${revisionRows.map((r) => r.slug)}::text[], ${revisionRows.map((r) => r.locale)}::text[],
                ${revisionRows.map((r) => r.number)}::int[], ${revisionRows.map((r) => r.title)}::text[],
                ${revisionRows.map((r) => r.body_md)}::text[], ${revisionRows.map((r) => r.keywords)}::text[],
                ${revisionRows.map((r) => r.created_at)}::timestamptz[])
         AS r(slug, locale, number, title, body_md, keywords, created_at)
    JOIN articles a ON a.slug = r.slug JOIN article_translations tr ON tr.article_id = a.id AND tr.locale = r.locale`.execute(
    db,
  );
  // The Spanish first revisions translate the English first revisions.
  await sql`UPDATE article_revisions r SET source_revision_id = s.id
    FROM article_translations t, article_translations st, article_revisions s
    WHERE t.id = r.translation_id AND t.locale = 'es' AND st.article_id = t.article_id AND st.locale = 'en'
      AND s.translation_id = st.id AND s.number = 1`.execute(db);
  await sql`UPDATE article_translations t SET status = 'published', published_revision_id = r.id,
      published_at = ${publishedAt}::timestamptz, updated_at = ${publishedAt}::timestamptz
    FROM article_revisions r WHERE r.translation_id = t.id AND r.number = 1`.execute(db);
  // Each edit: revision 2, published at its (past) time; the trigger ends revision 1's publication then.
  const edits = plan.filter((t) => t.edit !== null);
  for (const t of edits) {
    const at = new Date(t.edit!.at);
    await sql`INSERT INTO article_revisions (translation_id, number, title, body_md, keywords, author, created_at)
      SELECT tr.id, 2, ${t.title}, ${body(t, 2)}, ${t.keywords}::text[], 'Planted', ${new Date(at.getTime() - 3_600_000)}::timestamptz
      FROM article_translations tr JOIN articles a ON a.id = tr.article_id
      WHERE a.slug = ${t.slug} AND tr.locale = ${t.locale}`.execute(db);
    await sql`UPDATE article_translations tr SET published_revision_id = r.id, published_at = ${at}::timestamptz
      FROM articles a, article_revisions r
      WHERE a.id = tr.article_id AND a.slug = ${t.slug} AND tr.locale = ${t.locale}
        AND r.translation_id = tr.id AND r.number = 2`.execute(db);
  }
  const ids = await sql<{ slug: string; locale: string; article_id: number; number: number; revision_id: number }>`
    SELECT a.slug, t.locale, a.id AS article_id, r.number, r.id AS revision_id
    FROM article_revisions r JOIN article_translations t ON t.id = r.translation_id
    JOIN articles a ON a.id = t.article_id`.execute(db);
  const revisionId = new Map(ids.rows.map((r) => [`${r.slug}|${r.locale}|${r.number}`, r]));

  // Activity, day by day: votes pinned to the revision live at that moment, each voter's reading session (and some
  // more readers who did not vote) as "Article Viewed", contacts after reading, and tickets tied to the article.
  const votes: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const views: Record<string, unknown>[] = [];
  const tickets: Record<string, unknown>[] = [];
  const searches: Record<string, unknown>[] = [];
  const contacts: Record<string, unknown>[] = [];
  let message = 0;
  const event = (name: string, person: string, at: number, properties: Record<string, unknown>) => {
    message += 1;
    events.push({
      message_id: `planted-${message}`,
      type: 'track',
      event: name,
      anonymous_id: person,
      properties: JSON.stringify(properties),
      locale: properties.locale ?? null,
      article: properties.article_slug ?? null,
      timestamp: new Date(at),
      received_at: new Date(at),
      source: 'seed',
    });
  };
  let person = 0;
  for (let d = firstDay; d <= -1; d++) {
    const start = dayStart(d);
    const weekday = (((todayWeekday + d) % 7) + 7) % 7;
    const weekly = weekday === 0 || weekday === 6 ? 0.7 : 1.1;
    for (const t of plan) {
      const ratesAt = (at: number) => {
        const edited = t.edit !== null && at >= t.edit.at;
        const recent = d >= recentStart;
        return {
          revision: edited ? 2 : 1,
          rate: t.rate + (edited ? t.edit!.effect : 0) + (recent ? SEASONAL_DIP - t.drop : 0),
        };
      };
      const voters = poisson(random, t.votesPerDay * weekly);
      const readers = voters + poisson(random, t.votesPerDay * weekly * 0.5);
      let viewsToday = 0;
      for (let i = 0; i < readers; i++) {
        person += 1;
        const reader = `planted-${person.toString(36)}`;
        const at = start + Math.floor(random() * (DAY_MS - 3_600_000));
        const { revision, rate } = ratesAt(at);
        const ids = revisionId.get(`${t.slug}|${t.locale}|${revision}`)!;
        viewsToday += 1 + poisson(random, 1);
        // Only readers who accepted analytics send events (a third here), as on a real site; votes come from all.
        const tracked = random() < TRACKED_SHARE;
        if (tracked)
          event('Article Viewed', reader, at, {
            article_slug: t.slug,
            article_locale: t.locale,
            revision,
            locale: t.locale,
          });
        let unhappy = random() > rate;
        if (i < voters) {
          votes.push({
            article_id: ids.article_id,
            revision_id: ids.revision_id,
            revision,
            locale: t.locale,
            reader_locale: t.locale,
            reader_id: reader,
            helpful: !unhappy,
            reason: unhappy ? REASONS[Math.floor(random() * REASONS.length)] : null,
            source: 'demo',
            created_at: new Date(at + 60_000),
            updated_at: new Date(at + 60_000),
          });
        } else {
          unhappy = unhappy && random() < 0.5;
        }
        if (random() < (unhappy ? 0.12 : 0.02)) {
          if (tracked) event('Contact Form Viewed', reader, at + 300_000, { locale: t.locale, article_slug: t.slug });
          if (random() < 0.4) {
            tickets.push({
              external_id: `planted-${reader}`,
              subject: `Problem: ${t.title}`,
              body: t.locale === 'en' ? 'The article did not answer my question.' : 'El artículo no respondió.',
              channel: 'web',
              locale: t.locale,
              status: 'solved',
              source_article_id: ids.article_id,
              source: 'demo',
              created_at: new Date(at + 600_000),
              updated_at: new Date(at + 600_000),
            });
          }
        }
      }
      if (viewsToday > 0)
        views.push({
          article_id: revisionId.get(`${t.slug}|${t.locale}|1`)!.article_id,
          locale: t.locale,
          day: dayOf(new Date(start)),
          views: viewsToday,
        });
    }

    // Searches: readers find existing articles (results), a few type nonsense once (no results, no pattern), and
    // readers in both locales look for the missing topic in several wordings (no results); some of them write in.
    for (const locale of LOCALES) {
      const search = (query: string, results: string[], at: number, session: string) =>
        searches.push({
          locale,
          query,
          normalized: normalizeQuery(locale, query),
          results: results.length,
          returned_slugs: results.join(' '),
          source: 'demo',
          session_id: session,
          reader_id: session,
          created_at: new Date(at),
        });
      const local = plan.filter((t) => t.locale === locale);
      for (let i = poisson(random, 20 * weekly); i > 0; i--) {
        const t = local[Math.floor(random() * local.length)]!;
        person += 1;
        search(
          t.title.toLowerCase(),
          [t.slug],
          start + Math.floor(random() * DAY_MS),
          `planted-${person.toString(36)}`,
        );
      }
      if (random() < 0.5) {
        person += 1;
        const noise = Array.from({ length: 2 + Math.floor(random() * 2) }, () =>
          Array.from({ length: 4 + Math.floor(random() * 4) }, () =>
            String.fromCharCode(97 + Math.floor(random() * 26)),
          ).join(''),
        ).join(' ');
        search(noise, [], start + Math.floor(random() * DAY_MS), `planted-${person.toString(36)}`);
      }
      for (let i = poisson(random, locale === 'en' ? 4 : 2.5); i > 0; i--) {
        person += 1;
        const session = `planted-${person.toString(36)}`;
        const at = start + Math.floor(random() * (DAY_MS - 3_600_000));
        const phrases = GAP_SEARCHES[locale];
        search(phrases[Math.floor(random() * phrases.length)]!, [], at, session);
        if (random() < 0.35) {
          contacts.push({ session_id: session, locale, created_at: new Date(at + 120_000) });
          event('Contact Form Viewed', session, at + 120_000, { locale });
          if (random() < 0.6) {
            const subjects = GAP_TICKETS[locale];
            tickets.push({
              external_id: `planted-gap-${session}`,
              subject: subjects[Math.floor(random() * subjects.length)]!,
              body:
                locale === 'en'
                  ? 'I searched the help center and found nothing about it.'
                  : 'No encontré nada en la ayuda.',
              channel: 'web',
              locale,
              status: 'solved',
              source_article_id: null,
              source: 'demo',
              created_at: new Date(at + 300_000),
              updated_at: new Date(at + 300_000),
            });
          }
        }
      }
    }
  }

  await insertUnnest(
    db,
    'article_votes',
    {
      article_id: 'int',
      revision_id: 'int',
      revision: 'int',
      locale: 'text',
      reader_locale: 'text',
      reader_id: 'text',
      helpful: 'boolean',
      reason: 'text',
      source: 'text',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    votes,
  );
  await ensureMonthPartitions(db, new Date(dayStart(firstDay)), new Date(today));
  await insertUnnest(
    db,
    'events',
    {
      message_id: 'text',
      type: 'text',
      event: 'text',
      anonymous_id: 'text',
      properties: 'jsonb',
      locale: 'text',
      article: 'text',
      timestamp: 'timestamptz',
      received_at: 'timestamptz',
      source: 'text',
    },
    events,
  );
  await insertUnnest(
    db,
    'article_daily_views',
    { article_id: 'int', locale: 'text', day: 'date', views: 'int' },
    views,
  );
  // returned_slugs is an array per row, which unnest cannot take as a column: sent as text and split here.
  for (let i = 0; i < searches.length; i += 20_000) {
    const part = searches.slice(i, i + 20_000);
    const col = (name: string) => part.map((s) => s[name]);
    await sql`INSERT INTO search_queries (locale, query, normalized, results, returned_slugs, source, session_id,
                                          reader_id, created_at)
      SELECT locale, query, normalized, results, string_to_array(slugs, ' '), 'demo', session_id, reader_id, created_at
      FROM unnest(${col('locale')}::text[], ${col('query')}::text[], ${col('normalized')}::text[],
                  ${col('results')}::int[], ${col('returned_slugs')}::text[], ${col('session_id')}::text[],
                  ${col('reader_id')}::text[], ${col('created_at')}::timestamptz[])
           AS s(locale, query, normalized, results, slugs, session_id, reader_id, created_at)`.execute(db);
  }
  await insertUnnest(
    db,
    'search_contacts',
    { session_id: 'text', locale: 'text', created_at: 'timestamptz' },
    contacts,
  );
  await insertUnnest(
    db,
    'tickets',
    {
      external_id: 'text',
      subject: 'text',
      body: 'text',
      channel: 'text',
      locale: 'text',
      status: 'text',
      source_article_id: 'int',
      source: 'text',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    tickets,
  );
  await sql`INSERT INTO feedback_items (kind, source_id, locale, text, created_at)
    SELECT 'ticket', t.id, t.locale, t.subject || E'\n\n' || t.body, t.created_at FROM tickets t
    WHERE t.external_id LIKE 'planted-%'`.execute(db);
  const from = dayOf(new Date(dayStart(firstDay)));
  const to = dayOf(new Date(dayStart(-1)));
  await rollUpInsights(db, { from, to });
  await sql`ANALYZE`.execute(db);

  // The true fall of every translation between the windows (days weighted alike), beyond the dip.
  const trueRate = (t: PlanTranslation, d: number) =>
    t.rate +
    (t.edit !== null && dayStart(d) + DAY_MS / 2 >= t.edit.at ? t.edit.effect : 0) -
    (d >= recentStart ? t.drop : 0);
  const mean = (t: PlanTranslation, fromDay: number, toDay: number) => {
    let sum = 0;
    for (let d = fromDay; d <= toDay; d++) sum += trueRate(t, d);
    return sum / (toDay - fromDay + 1);
  };
  const falls = plan.map((t) => ({
    slug: t.slug,
    locale: t.locale,
    decline: mean(t, recentStart - BASELINE_DAYS, recentStart - 1) - mean(t, recentStart, -1),
    cause: t.drop > 0 ? ('planted' as const) : ('edit' as const),
  }));
  return {
    declining: falls.filter((f) => f.cause === 'planted'),
    alsoDeclined: falls.filter((f) => f.cause === 'edit' && f.decline >= MATERIAL_DECLINE - 1e-9),
    ambiguous: falls.filter((f) => f.cause === 'edit' && f.decline > 0.01 && f.decline < MATERIAL_DECLINE - 1e-9),
    edits: edits.map((t) => ({
      slug: t.slug,
      locale: t.locale,
      revision: 2,
      effect: t.edit!.effect,
      publishedAt: new Date(t.edit!.at).toISOString(),
    })),
    gapPhrases: [...Object.values(GAP_SEARCHES).flat(), ...Object.values(GAP_TICKETS).flat()],
    from,
    to,
    counts: {
      articles: articles.length,
      votes: votes.length,
      events: events.length,
      searches: searches.length,
      tickets: tickets.length,
    },
  };
}
