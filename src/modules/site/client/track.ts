// The help center's first-party analytics snippet: Segment-shaped messages, batched, sent to the same-origin
// collector (/v1/batch) with the site's public write key; never a third-party request. It sends nothing when the
// browser asks not to be tracked (Do Not Track, Global Privacy Control) or the consent cookie says "no".
// Configuration comes from data attributes on <body>: data-al-key, data-al-locale, and on article pages
// data-al-article, data-al-article-locale and data-al-revision. Kept under 3 KB gzipped (a test checks it).

interface Message {
  type: 'track' | 'page';
  messageId: string;
  anonymousId: string;
  timestamp: string;
  event?: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
}

const ENDPOINT = '/v1/batch';
const COOKIE = 'ajs_anonymous_id';
const FLUSH_AT = 20;
const FLUSH_MS = 5_000;

let queue: Message[] = [];
let writeKey = '';
let anonymousId = '';
let locale = '';
let timer: ReturnType<typeof setTimeout> | undefined;

function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Outside secure contexts randomUUID is missing; 16 random bytes do as well.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function readCookie(name: string): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(document.cookie);
  return match ? decodeURIComponent(match[1]!).replace(/^"|"$/g, '') : undefined;
}

/** True when the reader opted out: DNT, Global Privacy Control, or `al_consent=no`. */
export function optedOut(): boolean {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const win = globalThis as { doNotTrack?: string };
  return (
    nav.doNotTrack === '1' ||
    win.doNotTrack === '1' ||
    nav.globalPrivacyControl === true ||
    readCookie('al_consent') === 'no'
  );
}

function ensureAnonymousId(): string {
  let id = readCookie(COOKIE);
  if (!id || !/^[\w.-]{8,100}$/.test(id)) {
    id = uuid();
    const secure = location.protocol === 'https:' ? ';secure' : '';
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox; the server reads this cookie too
    document.cookie = `${COOKIE}=${id};path=/;max-age=31536000;samesite=lax${secure}`;
  }
  return id;
}

function context(): Record<string, unknown> {
  return {
    locale,
    userAgent: navigator.userAgent,
    page: { path: location.pathname, title: document.title },
    library: { name: 'answerloop.js', version: '1' },
  };
}

/** Sends what is queued: with sendBeacon when the page is going away, else with a keepalive fetch. */
export function flush(beacon = false): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return;
  const body = JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batch: queue });
  queue = [];
  // A string body goes as text/plain, which needs no CORS preflight and which the collector accepts.
  if (beacon && navigator.sendBeacon?.(ENDPOINT, body)) return;
  fetch(ENDPOINT, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(
    () => undefined,
  );
}

function enqueue(message: Omit<Message, 'messageId' | 'anonymousId' | 'timestamp' | 'context'>): void {
  if (!writeKey) return;
  queue.push({ ...message, messageId: uuid(), anonymousId, timestamp: new Date().toISOString(), context: context() });
  if (queue.length >= FLUSH_AT) flush();
  else timer ??= setTimeout(() => flush(), FLUSH_MS);
}

/** Records a tracking-plan event, e.g. track('Search Suggestion Clicked', {query, article_slug, position}). */
export function track(event: string, properties: Record<string, unknown> = {}): void {
  enqueue({ type: 'track', event, properties: { locale, ...properties } });
}

function page(): void {
  const referrer = document.referrer ? document.referrer.split(/[?#]/)[0] : '';
  // The path and title only: a query string may hold what a reader typed.
  enqueue({ type: 'page', properties: { path: location.pathname, title: document.title, referrer, locale } });
}

function onClick(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.('a');
  const item = link?.closest('.search-results > li');
  if (!link || !item) return;
  const slug = link.dataset.resultSlug ?? /\/articles\/([\w-]+)/.exec(link.pathname)?.[1];
  const position = Number(link.dataset.resultPosition) || Array.from(item.parentElement!.children).indexOf(item) + 1;
  const query = new URLSearchParams(location.search).get('q') ?? '';
  if (slug && query) track('Search Result Clicked', { query, article_slug: slug, position });
}

/** Starts tracking on this page: a page view, the page's plan events, result clicks, and sending on page hide. */
export function startTracking(): void {
  const data = document.body.dataset;
  if (!data.alKey || optedOut()) return;
  writeKey = data.alKey;
  locale = data.alLocale ?? document.documentElement.lang;
  anonymousId = ensureAnonymousId();
  page();
  if (data.alArticle) {
    track('Article Viewed', {
      article_slug: data.alArticle,
      article_locale: data.alArticleLocale ?? locale,
      revision: Number(data.alRevision) || 1,
    });
  }
  // On a form the contact island sends this event itself, naming the form; here only the chooser's view.
  if (/^\/[\w-]+\/contact\/?$/.test(location.pathname) && !document.querySelector('form.contact-form')) {
    track('Contact Form Viewed');
  }
  document.addEventListener('click', onClick);
  addEventListener('pagehide', () => flush(true));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush(true);
  });
}
