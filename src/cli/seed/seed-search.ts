import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import {
  clickSuspicion,
  containsPersonalData,
  DEFAULT_EVIDENCE,
  normalizeQuery,
  redactPersonalData,
} from '../../modules/search/index.js';
import { LIMITS } from '../../shared/limits.js';
import { type SimArticle, type SimSession, simulateActivity } from './simulate-activity.js';

/** The demo's simulated window; every module seeding from simulateActivity should use the same options. */
export const DEMO_ACTIVITY = { days: 90, sessionsPerDay: 120, seed: 42 } as const;

/**
 * Searches that match no demo article (content gaps), a few per locale, so "queries with no results" and
 * "followed by a contact" have something true to show.
 */
export const DEMO_GAP_QUERIES: Record<string, string[]> = {
  // Story B (see seed-stories.ts): exporting a board to PDF, in several wordings, is the most searched gap.
  en: [
    'dark mode',
    'export board to pdf',
    'export board as pdf',
    'board to pdf',
    'print a board',
    'family account',
    'pinwheel for windows',
  ],
  es: ['modo oscuro', 'exportar tablero a pdf', 'exportar tablero como pdf', 'imprimir tablero', 'cuenta familiar'],
  ru: ['тёмная тема', 'экспорт доски в pdf', 'сохранить доску в pdf', 'семейный аккаунт'],
  ar: ['الوضع الليلي', 'تصدير اللوحة pdf', 'حفظ اللوحة pdf', 'حساب عائلي'],
  he: ['מצב כהה', 'ייצוא לוח ל pdf', 'שמירת לוח כ pdf', 'חשבון משפחתי'],
  ja: ['ダークモード', 'ボードをPDFで書き出す', 'ボード PDF 保存', 'ファミリーアカウント'],
};

/**
 * Every published article translation as the activity simulation needs it (slug, locale, title, keywords), with its
 * publication history, so that a simulated reader sees (and votes on) the revision live at that moment.
 */
export async function loadSimArticles(db: DB): Promise<SimArticle[]> {
  const { rows } = await sql<{
    slug: string;
    locale: string;
    title: string;
    keywords: string[];
    revisions: { number: number; from: string }[] | null;
  }>`
    SELECT a.slug, t.locale, r.title, r.keywords,
           (SELECT json_agg(json_build_object('number', pr.number, 'from', p.started_at) ORDER BY p.started_at, p.id)
              FROM revision_publications p JOIN article_revisions pr ON pr.id = p.revision_id
             WHERE p.translation_id = t.id) AS revisions
      FROM article_translations t
      JOIN articles a ON a.id = t.article_id
      JOIN article_revisions r ON r.id = t.published_revision_id
     WHERE t.status = 'published'
     ORDER BY t.locale, a.position, a.slug`.execute(db);
  return rows.map((r) => ({
    slug: r.slug,
    locale: r.locale,
    title: r.title,
    keywords: r.keywords,
    revisions: (r.revisions ?? []).map((p) => ({ number: p.number, from: new Date(p.from) })),
  }));
}

/** The demo's reader sessions, simulated from the published articles. */
export async function simulateDemoSessions(db: DB, until = new Date()): Promise<SimSession[]> {
  return simulateActivity({
    ...DEMO_ACTIVITY,
    until,
    articles: await loadSimArticles(db),
    gapQueries: DEMO_GAP_QUERIES,
  });
}

export interface SeedSearchResult {
  searches: number;
  clicks: number;
  contacts: number;
}

interface SearchRow {
  id: number;
  locale: string;
  query: string;
  normalized: string;
  results: number;
  returned_slugs: string[];
  session_id: string;
  reader_id: string;
  network_key: string;
  had_personal_data: boolean;
  created_at: Date;
}

/** Client networks the simulated readers come from (some readers share one: a household, an office). */
const DEMO_NETWORKS = 2_000;

/** A simulated reader's network: a stable stand-in for the keyed hash the server stores (FNV-1a of the reader id). */
export function demoNetworkKey(readerId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < readerId.length; i++) hash = Math.imul(hash ^ readerId.charCodeAt(i), 0x01000193) >>> 0;
  return `demo-net-${hash % DEMO_NETWORKS}`;
}

/**
 * Writes the search analytics of simulated sessions (searches, clicks on suggestions and results, contacts after a
 * search), replacing earlier demo analytics. Other sources (real readers) are kept. The same evidence rules as for
 * real readers apply: a click names an article its search returned, and counts only once the reader has existed for
 * the minimum age (from its first simulated visit) and within the reader's and network's daily budgets.
 */
export async function seedSearch(db: DB, sessions?: SimSession[]): Promise<SeedSearchResult> {
  const all = sessions ?? (await simulateDemoSessions(db));
  return db.transaction().execute(async (trx) => {
    await sql`DELETE FROM search_contacts WHERE session_id IN (
                SELECT DISTINCT session_id FROM search_queries WHERE source = 'demo')`.execute(trx);
    await sql`DELETE FROM search_queries WHERE source = 'demo'`.execute(trx);
    const { rows } = await sql<{ next: string }>`SELECT COALESCE(max(id), 0)::text AS next FROM search_queries`.execute(
      trx,
    );
    let nextId = Number(rows[0]?.next ?? 0) + 1;
    const searches: SearchRow[] = [];
    const clicks: {
      search_id: number;
      locale: string;
      slug: string;
      position: number;
      kind: 'suggestion' | 'result';
      session_id: string;
      reader_id: string;
      network_key: string;
      suspect: ReturnType<typeof clickSuspicion>;
      created_at: Date;
    }[] = [];
    // When the server would have issued each reader's cookie: its first visit.
    const firstSeen = new Map<string, number>();
    for (const session of all) {
      const at = session.startedAt.getTime();
      if (at < (firstSeen.get(session.anonymousId) ?? Number.POSITIVE_INFINITY)) firstSeen.set(session.anonymousId, at);
    }
    // Counted clicks per reader and per network and UTC day (the server's budget is a rolling 24 hours).
    const counted = new Map<string, number>();
    const bump = (key: string) => counted.set(key, (counted.get(key) ?? 0) + 1);
    const contacts: { session_id: string; locale: string; created_at: Date }[] = [];
    for (const session of all) {
      let current: SearchRow | undefined;
      for (const step of session.steps) {
        if (step.type === 'search') {
          const query = step.query.trim().slice(0, LIMITS.searchQuery);
          if (!query) continue;
          const personal = containsPersonalData(query);
          const stored = personal ? redactPersonalData(query) : query;
          current = {
            id: nextId++,
            locale: session.locale,
            query: stored,
            normalized: normalizeQuery(session.locale, stored),
            results: step.resultSlugs.length,
            returned_slugs: step.resultSlugs,
            session_id: session.id,
            reader_id: session.anonymousId,
            network_key: demoNetworkKey(session.anonymousId),
            had_personal_data: personal,
            created_at: step.at,
          };
          searches.push(current);
        } else if ((step.type === 'suggestion_click' || step.type === 'result_click') && current) {
          const position = current.returned_slugs.indexOf(step.slug) + 1;
          // The server refuses a click on an article the search did not return.
          if (position === 0) continue;
          const day = step.at.toISOString().slice(0, 10);
          const readerKey = `r\u0000${current.reader_id}\u0000${day}`;
          const networkKey = `n\u0000${current.network_key}\u0000${day}`;
          const suspect = clickSuspicion(
            {
              readerAgeMs: step.at.getTime() - (firstSeen.get(current.reader_id) ?? step.at.getTime()),
              readerCountedToday: counted.get(readerKey) ?? 0,
              networkCountedToday: counted.get(networkKey) ?? 0,
            },
            DEFAULT_EVIDENCE,
          );
          // Budgets count every click within them, young readers' too, as the server does (click-evidence.ts).
          if (suspect === null || suspect === 'young-reader') {
            bump(readerKey);
            bump(networkKey);
          }
          clicks.push({
            search_id: current.id,
            locale: session.locale,
            slug: step.slug,
            position: Math.min(100, position),
            kind: step.type === 'suggestion_click' ? 'suggestion' : 'result',
            session_id: session.id,
            reader_id: current.reader_id,
            network_key: current.network_key,
            suspect,
            created_at: step.at,
          });
        } else if (step.type === 'contact_view' && current) {
          contacts.push({ session_id: session.id, locale: session.locale, created_at: step.at });
        }
      }
    }
    // Explicit ids let clicks point at their search without a round trip per row; the sequence is moved past them.
    for (let i = 0; i < searches.length; i += 500) {
      const chunk = searches.slice(i, i + 500);
      await sql`
        INSERT INTO search_queries (id, locale, query, normalized, results, returned_slugs, source, session_id,
                                    reader_id, network_key, had_personal_data, created_at)
        OVERRIDING SYSTEM VALUE
        VALUES ${sql.join(
          chunk.map(
            (s) =>
              sql`(${s.id}, ${s.locale}, ${s.query}, ${s.normalized}, ${s.results}, ${sql.val(s.returned_slugs)}::text[],
                   'demo', ${s.session_id}, ${s.reader_id}, ${s.network_key}, ${s.had_personal_data}, ${s.created_at})`,
          ),
        )}`.execute(trx);
    }
    if (searches.length > 0) {
      await sql`SELECT setval(pg_get_serial_sequence('search_queries', 'id'), ${nextId - 1})`.execute(trx);
    }
    for (let i = 0; i < clicks.length; i += 1000) {
      await trx
        .insertInto('search_clicks')
        .values(clicks.slice(i, i + 1000))
        .execute();
    }
    for (let i = 0; i < contacts.length; i += 1000) {
      await trx
        .insertInto('search_contacts')
        .values(contacts.slice(i, i + 1000))
        .execute();
    }
    return { searches: searches.length, clicks: clicks.length, contacts: contacts.length };
  });
}
