import { EventEmitter } from 'node:events';

/**
 * Domain events one module raises and others (search index, caches, pages) react to. An operation emits after its
 * commit; the change feed (`src/db/change-feed.ts`) carries each event to every other process on the same
 * PostgreSQL server, whose bus then emits it to its own listeners. Payloads must be JSON (they cross processes).
 */
export interface BusEvents {
  'article.published': { articleId: number; slug: string; locale: string; revisionId: number };
  'article.unpublished': { articleId: number; slug: string; locale: string };
  'regions.changed': Record<string, never>;
  'topics.changed': { slug: string };
  /** A content locale was added or changed; `locales` is every configured locale as committed, in menu order. */
  'locales.changed': {
    code: string;
    locales: {
      code: string;
      name: string;
      direction: 'ltr' | 'rtl';
      fallback: string[];
      enabled: boolean;
      position: number;
    }[];
  };
  /** The help center's settings changed (accounts: session lifetimes, name, support email). */
  'settings.changed': Record<string, never>;
  /** An operator pinned, banned or released a suggested query (status null: no rule any more). */
  'search.suggestion-rule.changed': {
    locale: string;
    normalized: string;
    text: string;
    status: 'pinned' | 'banned' | null;
  };
  /** A form was created or changed (a new version, enabled or moved). */
  'forms.changed': { key: string; version: number };
  /** A form submission was filed as a ticket (committed); `deliveryId` when it waits in the help-desk outbox. */
  'ticket.filed': { ticketId: number; reference: string; deliveryId: string | null };
  /** Search synonyms of a locale were replaced (search index reloads them). */
  'search.synonyms.changed': { locale: string };
  /** A write key was created or revoked (`revoked`); caches of keys are cleared, the site key renewed if needed. */
  'events.write-keys.changed': { keyId: number; revoked: boolean };
  /** A tracking-plan version was saved. */
  'events.plan.changed': { version: number };
  /** A classifier model version was activated (null: none active any more). */
  'classify.model.activated': { version: number | null };
  /** Taxonomy categories were merged or moved (classify): screens and caches that show category names refresh. */
  'classify.taxonomy.changed': { slugs: string[] };
  /**
   * Local only, never sent to other processes: this process may have missed changes (it reconnected to the change
   * feed, or found a gap), so every cache and index refreshes everything from the database.
   */
  'cluster.resync': { reason: 'reconnected' | 'gap' | 'bulk-write' };
  /**
   * A command wrote many kinds of data at once without their own events (the demo seed): every process that
   * receives it resyncs, as after a reconnect (`cluster.resync` with reason 'bulk-write').
   */
  'data.bulk-written': { by: string };
}

/** Events that stay in the process that emits them. */
const LOCAL_ONLY: ReadonlySet<keyof BusEvents> = new Set<keyof BusEvents>(['cluster.resync']);

/** Sends an emitted event to the other processes (the change feed); null until the feed starts. */
export type BusForwarder = <K extends keyof BusEvents>(event: K, payload: BusEvents[K]) => void;

export interface Bus {
  /** After a commit: this process's listeners run now (synchronously), other processes' soon after. */
  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void;
  /** An event another process published (from the change feed): this process's listeners only. */
  emitLocal<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void;
  on<K extends keyof BusEvents>(event: K, listener: (payload: BusEvents[K]) => void): () => void;
  /** Attaches (or detaches, with null) what carries emitted events to other processes. */
  forwardTo(forwarder: BusForwarder | null): void;
}

/** A typed event bus. Listeners run synchronously after the change is committed. */
export function createBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  let forwarder: BusForwarder | null = null;
  return {
    emit(event, payload) {
      emitter.emit(event, payload);
      if (forwarder && !LOCAL_ONLY.has(event)) forwarder(event, payload);
    },
    emitLocal(event, payload) {
      emitter.emit(event, payload);
    },
    forwardTo(next) {
      forwarder = next;
    },
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  };
}
