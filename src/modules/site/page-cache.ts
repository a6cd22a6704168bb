import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Brotli 10: measured on a 40 kB page, quality 11 took twice as long (≈60 ms) for 3% fewer bytes, and quality 9 was
 * slower than 10 in this zlib. Every invalidation recompresses the pages readers ask for again, so the cheaper one.
 */
const BROTLI_QUALITY = 10;
/** What an entry costs beyond its bodies (key, object, strings), so many tiny pages can't exceed the budget. */
const ENTRY_OVERHEAD_BYTES = 512;

export type PageEncoding = 'br' | 'gzip' | 'identity';
const ENCODINGS: PageEncoding[] = ['br', 'gzip', 'identity'];
/** Each encoding is its own representation, so its own strong validator (the plain body's hash + a suffix). */
const ETAG_SUFFIX: Record<PageEncoding, string> = { br: '-br', gzip: '-gz', identity: '' };

/** One rendered page, kept plain and precompressed, with what the route needs when serving it again. */
export interface CachedPage<M> {
  status: number;
  /** SHA-256 of the plain body (hex, 32 chars): the page's strong validator, the same in every process. */
  hash: string;
  plain: Buffer;
  gzip: Buffer;
  br: Buffer;
  meta: M;
}

/** What a route's renderer returns: the page's HTML (with doctype) and its metadata. */
export interface RenderedPage<M> {
  status: number;
  html: string;
  meta: M;
}

export interface PageCacheOptions {
  /** Off: `lookup` renders every time and the page is compressed per request by @fastify/compress. */
  enabled: boolean;
  /** Budget for all entries, bodies in three encodings included. */
  maxBytes: number;
  /**
   * The safety net for what changes without a domain event: "popular articles", "X of Y found this helpful", the
   * footer's year. Content changes invalidate at once through the bus.
   */
  maxAgeMs: number;
}

/**
 * Rendered public pages, keyed by what their bytes depend on (the caller's key: origin, locale, region, page), for one
 * content version. `invalidate()` starts a new version: a render that began before it is served to the readers who
 * asked but never stored, so a page can't outlive the content it showed.
 */
export class PageCache<M> {
  private version = 0;
  private readonly entries: LRUCache<string, CachedPage<M>> | null;
  /** Concurrent misses of one key share one render and one compression (after an invalidation, hot pages). */
  private readonly pending = new Map<string, Promise<CachedPage<M> | null>>();

  constructor(options: PageCacheOptions) {
    this.entries = options.enabled
      ? new LRUCache<string, CachedPage<M>>({
          maxSize: options.maxBytes,
          sizeCalculation: (page, key) =>
            page.plain.length + page.gzip.length + page.br.length + key.length * 2 + ENTRY_OVERHEAD_BYTES,
          ttl: options.maxAgeMs,
          // An entry larger than the whole budget is simply not kept (lru-cache would throw otherwise).
          maxEntrySize: options.maxBytes,
        })
      : null;
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  /** Forgets every page: something they show changed. */
  invalidate(): void {
    this.version += 1;
    this.entries?.clear();
    this.pending.clear();
  }

  /** Entries and bytes held (for tests and diagnostics). */
  stats(): { entries: number; bytes: number; version: number } {
    return { entries: this.entries?.size ?? 0, bytes: this.entries?.calculatedSize ?? 0, version: this.version };
  }

  /**
   * The page under `key`, else `render()`s it once, compresses it and keeps it. `render` answering null (e.g. no such
   * article) stores nothing, so unknown URLs can't fill the cache.
   */
  async lookup(key: string, render: () => Promise<RenderedPage<M> | null>): Promise<CachedPage<M> | null> {
    const entries = this.entries;
    if (!entries) throw new Error('the page cache is off');
    const hit = entries.get(key);
    if (hit) return hit;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const version = this.version;
    const work = (async () => {
      const rendered = await render();
      if (!rendered) return null;
      const page = await compressPage(rendered);
      if (this.version === version) entries.set(key, page);
      return page;
    })();
    this.pending.set(key, work);
    try {
      return await work;
    } finally {
      if (this.pending.get(key) === work) this.pending.delete(key);
    }
  }
}

/** Hashes the body and compresses it both ways off the event loop (zlib's thread pool). */
export async function compressPage<M>(rendered: RenderedPage<M>): Promise<CachedPage<M>> {
  const plain = Buffer.from(rendered.html, 'utf8');
  const [gz, br] = await Promise.all([
    gzipAsync(plain, { level: 9 }),
    brotliAsync(plain, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
      },
    }),
  ]);
  const hash = createHash('sha256').update(plain).digest('hex').slice(0, 32);
  return { status: rendered.status, hash, plain, gzip: gz, br, meta: rendered.meta };
}

// Browsers send a handful of distinct Accept-Encoding values; remembering the answer skips the parse per request.
const encodingChoices = new LRUCache<string, PageEncoding>({ max: 256 });

/** The best encoding the reader accepts among br, gzip and identity (identity when it accepts none of them). */
export function chooseEncoding(acceptEncoding: string | undefined): PageEncoding {
  if (!acceptEncoding) return 'identity';
  const known = encodingChoices.get(acceptEncoding);
  if (known) return known;
  // negotiator 1.x breaks ties by `preferred` (our order: br first); @types/negotiator 0.6 doesn't know the option.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }) as unknown as {
    encodings(available: string[], options: { preferred: string[] }): string[];
  };
  const choice = (negotiator.encodings(ENCODINGS, { preferred: ENCODINGS })[0] ?? 'identity') as PageEncoding;
  encodingChoices.set(acceptEncoding, choice);
  return choice;
}

/**
 * Whether If-None-Match names this page in any encoding (weak comparison, as RFC 9110 asks for If-None-Match): a
 * client holding the gzip body of the same content may keep it, whatever it would accept now.
 */
export function matchesEtag(ifNoneMatch: string | undefined, hash: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  for (const match of ifNoneMatch.matchAll(/(?:W\/)?"([0-9a-f]{32})(?:-br|-gz)?"/g)) {
    if (match[1] === hash) return true;
  }
  return false;
}

/**
 * Sends a cached page in the encoding the reader accepts, with its strong ETag, or 304 when the reader already has
 * it. `cacheControl` is the route's policy; the site's onSend hook makes it private whenever a cookie goes out.
 * The body is already compressed, so @fastify/compress leaves it alone (it skips a reply with a Content-Encoding).
 */
export function sendCachedPage<M>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage<M>,
  cacheControl: string,
): FastifyReply {
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  reply.header('cache-control', cacheControl);
  // A validator only for real pages: a 304 for "not found" would tell a client to keep a stale 404.
  if (page.status === 200) {
    reply.header('etag', `"${page.hash}${ETAG_SUFFIX[encoding]}"`);
    if (matchesEtag(request.headers['if-none-match'], page.hash)) return reply.status(304).send();
  }
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  const body = encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.plain;
  return reply.status(page.status).type('text/html; charset=utf-8').send(body);
}
