import { EventEmitter } from 'node:events';

/** Domain events one module raises and others (search index, insights) react to, within one process. */
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
}

export interface Bus {
  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void;
  on<K extends keyof BusEvents>(event: K, listener: (payload: BusEvents[K]) => void): () => void;
}

/** A typed in-process event bus. Listeners run synchronously after the change is committed. */
export function createBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    emit(event, payload) {
      emitter.emit(event, payload);
    },
    on(event, listener) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
  };
}
