import type { DB } from '../../db/client.js';
import type { Bus } from '../../shared/bus.js';
import { renderMarkdown } from '../content/index.js';
import { DEFAULT_EVIDENCE, type EvidencePolicy } from './click-evidence.js';
import { decideSuggestions, offeredQueries, type SuggestionRule } from './decide-suggestions.js';
import { findLinkedUntranslated } from './find-fallbacks.js';
import { type EvidencedQuery, type LoadSuccessfulOptions, loadSuccessfulQueries } from './load-successful-queries.js';
import type { IndexableArticle } from './locale-index.js';
import { Blocklist } from './screen-suggestion.js';
import {
  listPublishedTranslations,
  listSuggestionRules,
  listSynonyms,
  type PublishedTranslationRow,
} from './search.queries.js';
import { SearchEngine } from './search-engine.js';

export interface SearchServiceOptions {
  db: DB;
  /** Re-index on `article.published` / `article.unpublished`. */
  bus?: Bus;
  /** Rebuild suggestions from the analytics this often; 0 (tests, CLI) never. */
  refreshEveryMs?: number;
  onError?: (error: unknown, what: string) => void;
  /** What readers' clicks must show before they change suggestions and boosts (default: DEFAULT_EVIDENCE). */
  evidence?: EvidencePolicy;
}

/**
 * How search analytics become suggestions; a change here changes what the whole site suggests. The evidence
 * thresholds (distinct readers and networks) come from the configured EvidencePolicy.
 */
export const SUGGESTION_POLICY = {
  halfLifeDays: 30,
  windowDays: 180,
  contactWithinMinutes: 60,
  perLocale: 5_000,
} as const;

/** Turns a published revision into what the index needs: rendered plain text and headings. */
export function toIndexable(row: PublishedTranslationRow): IndexableArticle {
  const rendered = renderMarkdown(row.bodyMarkdown);
  return {
    slug: row.slug,
    locale: row.locale,
    title: row.title,
    keywords: row.keywords,
    headings: rendered.headings,
    body: rendered.plainText,
  };
}

/**
 * The search module's running service: loads every published translation into the engine, keeps it current from
 * bus events (within a second of a publish), and rebuilds suggestions from search analytics.
 */
export class SearchService {
  readonly engine = new SearchEngine();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private pending = new Set<Promise<unknown>>();
  // Re-index jobs run one after another, so a publish followed by an unpublish can never end with the older state.
  private queue: Promise<void> = Promise.resolve();
  /** Queries with enough evidence, as last loaded, and the operator's rules: what readers are offered comes from both. */
  private candidates: EvidencedQuery[] = [];
  /** The synonym reloads, one after another, so an older read never overwrites a newer one. */
  private synonymsReload: Promise<void> = Promise.resolve();
  private rules: SuggestionRule[] = [];
  readonly evidence: EvidencePolicy;
  readonly blocklist: Blocklist;

  private constructor(private readonly options: SearchServiceOptions) {
    this.evidence = options.evidence ?? DEFAULT_EVIDENCE;
    this.blocklist = new Blocklist(this.evidence.blocklist);
  }

  /** Builds the indexes from the database and starts listening for changes. */
  static async start(options: SearchServiceOptions): Promise<SearchService> {
    const service = new SearchService(options);
    await service.rebuild();
    if (options.bus) {
      service.unsubscribe.push(
        options.bus.on('article.published', ({ slug, locale }) => service.enqueueReindex(slug, locale)),
        options.bus.on('article.unpublished', ({ slug, locale }) => {
          // Off the site at once; the queued re-read settles any publish that raced with it.
          service.engine.remove(slug, locale);
          service.enqueueReindex(slug, locale);
        }),
        // A new locale gets its index (empty until its first translation is published, plus the link-text
        // fallbacks of its translated articles) without a restart.
        options.bus.on('locales.changed', ({ code }) => {
          service.engine.index(code);
          service.track(service.refreshFallbacks([code]), `indexing locale ${code}`);
        }),
        // Applied synchronously from the rules in memory: the next keystroke already sees a pin or a ban.
        options.bus.on('search.suggestion-rule.changed', ({ locale, normalized, text, status }) => {
          service.rules = service.rules.filter((r) => r.locale !== locale || r.normalized !== normalized);
          if (status) service.rules.push({ locale, normalized, text, status });
          service.applySuggestions();
        }),
        // From this process, another one or the CLI: every process reloads the synonyms.
        options.bus.on('search.synonyms.changed', () => {
          service.synonymsReload = service.synonymsReload.then(() => service.reloadSynonyms());
          service.track(service.synonymsReload, 'reloading synonyms');
          service.synonymsReload = service.synonymsReload.catch(() => undefined);
        }),
        // This process may have missed events: rebuild everything from the database.
        options.bus.on('cluster.resync', () => service.enqueueResync()),
      );
    }
    if (options.refreshEveryMs && options.refreshEveryMs > 0) {
      service.timer = setInterval(() => service.track(service.refreshSuggestions()), options.refreshEveryMs);
      service.timer.unref();
    }
    return service;
  }

  get db(): DB {
    return this.options.db;
  }

  /** Re-reads every published translation, the synonyms and the suggestions. */
  async rebuild(): Promise<void> {
    const rows = await listPublishedTranslations(this.options.db);
    for (const row of rows) this.engine.upsert(toIndexable(row));
    await this.refreshFallbacks();
    await this.reloadSynonyms();
    await this.refreshSuggestions();
    this.engine.warmSuggestions();
  }

  /** Settles once the synonym reload started by the last 'search.synonyms.changed' is done (an edit's answer waits). */
  synonymsReloaded(): Promise<void> {
    return this.synonymsReload;
  }

  /**
   * Brings the whole index back in line with the database: every published translation re-read, translations no
   * longer published dropped, then fallbacks, synonyms and suggestions (with the operator's rules) reloaded.
   */
  async resync(): Promise<void> {
    const rows = await listPublishedTranslations(this.options.db);
    const published = new Set(rows.map((r) => `${r.locale}\u0000${r.slug}`));
    for (const row of rows) this.engine.upsert(toIndexable(row));
    for (const locale of this.engine.locales()) {
      const index = this.engine.index(locale);
      const fallbacks = new Set(index.fallbackSlugs());
      for (const slug of index.slugs()) {
        if (!fallbacks.has(slug) && !published.has(`${locale}\u0000${slug}`)) this.engine.remove(slug, locale);
      }
    }
    await this.refreshFallbacks();
    await this.reloadSynonyms();
    await this.refreshSuggestions();
  }

  /** Queues a full resync after the re-indexes already queued. */
  enqueueResync(): void {
    const job = this.queue.then(() => this.resync());
    this.queue = job.catch(() => undefined);
    this.track(job, 'rebuilding the search index after a resync');
  }

  /** Re-indexes one translation from the database (removes it when it is no longer published). */
  async reindex(slug: string, locale: string): Promise<void> {
    const [row] = await listPublishedTranslations(this.options.db, { slug, locale });
    if (row) this.engine.upsert(toIndexable(row));
    else this.engine.remove(slug, locale);
    // A source-language change (or an unpublish) can change what other locales find through their links.
    await this.refreshFallbacks(row && row.sourceLocale !== locale ? [locale] : undefined);
  }

  /**
   * Indexes, in each locale, the untranslated articles that its translated articles link to, under the link texts
   * (so "как удалить доску" finds the English "merge-or-delete-boards" that a Russian article links to as
   * "удалить доску"), and drops those that got translated or lost their links.
   */
  async refreshFallbacks(locales?: string[]): Promise<void> {
    for (const locale of locales ?? this.engine.locales()) {
      const rows = await listPublishedTranslations(this.options.db, { locale });
      const linked = findLinkedUntranslated(
        rows.map((r) => ({ slug: r.slug, markdown: r.bodyMarkdown })),
        new Set(rows.map((r) => r.slug)),
      );
      const sources =
        linked.length > 0 ? await listPublishedTranslations(this.options.db, { slugs: linked.map((l) => l.slug) }) : [];
      const sourceBySlug = new Map(sources.filter((s) => s.locale === s.sourceLocale).map((s) => [s.slug, s]));
      const wanted = new Set<string>();
      for (const link of linked) {
        const source = sourceBySlug.get(link.slug);
        if (!source || source.locale === locale) continue;
        wanted.add(link.slug);
        this.engine.upsert({
          slug: link.slug,
          locale,
          title: link.texts[0]!,
          keywords: link.texts.slice(1, 10),
          headings: [],
          body: toIndexable(source).body,
          textLocale: source.locale,
        });
      }
      for (const slug of this.engine.index(locale).fallbackSlugs()) {
        if (!wanted.has(slug)) this.engine.remove(slug, locale);
      }
    }
  }

  /** Queues a re-index of one translation after the ones already queued. */
  enqueueReindex(slug: string, locale: string): void {
    const job = this.queue.then(() => this.reindex(slug, locale));
    this.queue = job.catch(() => undefined);
    this.track(job, `re-indexing ${locale}/${slug}`);
  }

  /** Reloads the synonym groups of every locale. */
  async reloadSynonyms(): Promise<void> {
    const groups = await listSynonyms(this.options.db);
    const byLocale = new Map<string, string[][]>();
    for (const g of groups) byLocale.set(g.locale, [...(byLocale.get(g.locale) ?? []), g.terms]);
    for (const locale of new Set([...byLocale.keys(), ...this.engine.locales()])) {
      this.engine.setSynonyms(locale, byLocale.get(locale) ?? []);
    }
  }

  /** How successful queries are loaded under this service's evidence policy. */
  get successfulOptions(): LoadSuccessfulOptions {
    return { ...SUGGESTION_POLICY, minReaders: this.evidence.minReaders, minNetworks: this.evidence.minNetworks };
  }

  /** Rebuilds suggestions and learned boosts from the search analytics and the operator's rules. */
  async refreshSuggestions(): Promise<void> {
    const [candidates, rules] = await Promise.all([
      loadSuccessfulQueries(this.options.db, this.successfulOptions),
      listSuggestionRules(this.options.db),
    ]);
    this.candidates = candidates;
    this.rules = rules;
    this.applySuggestions();
  }

  private applySuggestions(): void {
    const decisions = decideSuggestions(this.candidates, this.rules, this.evidence, this.blocklist);
    this.engine.setSuccessfulQueries(offeredQueries(decisions));
  }

  /** Runs a write in the background, keeping it so `flush()` can wait for it. */
  track<T>(work: Promise<T>, what = 'search background work'): void {
    const tracked = work
      .catch((error: unknown) => this.options.onError?.(error, what))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Waits for background work (re-indexing, analytics writes). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Stops timers and listeners and waits for background work. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    await this.flush();
  }
}
