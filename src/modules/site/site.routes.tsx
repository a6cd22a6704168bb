import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { LIMITS } from '../../shared/limits.js';
import type { Region } from '../content/index.js';
import { renderRevision, resolvePlaceholders, resolvePlaceholdersText } from '../content/index.js';
import {
  createHelpfulSummaries,
  SHARED_VOTE_STATE,
  VoteWidget,
  type VoteWidgetState,
  voteStateFor,
} from '../feedback/index.js';
import { announceSearch, observeSearcher, recordSearch, SearchPageExtra, selectResults } from '../search/index.js';
import { buildSiteAssets, FONT_PACKAGES, fontPackageDir, type SiteAssets, themeCss } from './assets.js';
import { LOCALE_COOKIE, negotiateLocale } from './negotiate.js';
import { PageCache, type RenderedPage, sendCachedPage } from './page-cache.js';
import {
  allAlternates,
  pageRegion,
  regionPageContext,
  renderPage,
  sendPage,
  siteOrigin,
  sitePageContext,
} from './page-context.js';
import type { PageContext } from './pages/layout.js';
import { ArticlePage, HomePage, NotFoundPage, SearchPage, TopicPage } from './pages/pages.js';
import { listSitemapUrls, robotsTxt, sitemapDocument } from './sitemap.js';

const ONE_YEAR_S = 365 * 24 * 3600;
const ONE_DAY_S = 24 * 3600;
const ONE_HOUR_S = 3600;
/**
 * How long a cached page lives at most: the safety net for what changes without a domain event (the home page's
 * popular articles, "X of Y found this helpful", which lag their own caches anyway, and the footer's year).
 */
const PAGE_MAX_AGE_MS = 60_000;

/** What serving a cached page needs besides its bytes: the article whose view it counts. */
interface PageMeta {
  articleId: number | null;
}
const NO_META: PageMeta = { articleId: null };

/** Domain events after which a page may show something else. */
const INVALIDATING_EVENTS = [
  'article.published',
  'article.unpublished',
  'topics.changed',
  'regions.changed',
  'locales.changed',
  'settings.changed',
  'events.write-keys.changed',
  'forms.changed',
  'cluster.resync',
] as const;

/** The objects a page's frame is built from; a new one (reloaded) means cached pages are stale. */
function pageInputs(ctx: AppContext) {
  return { regions: ctx.regions(), locales: ctx.locales(), writeKey: ctx.events.siteWriteKey() };
}

/** The public, server-rendered help center. */
export async function siteRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The language menu's names at boot pick the font subsets (a name added later in another script: see assets.ts).
  const assets: SiteAssets = await buildSiteAssets(ctx.locales().locales.map((l) => l.name));
  // "X of Y found this helpful": cached per revision and the same for every reader, so it never makes a page personal.
  const helpfulSummaries = createHelpfulSummaries(ctx.db);

  for (const [i, name] of FONT_PACKAGES.entries()) {
    await app.register(fastifyStatic, {
      root: fontPackageDir(name),
      prefix: `/assets/fonts/${name}/`,
      decorateReply: i === 0,
      index: false,
      immutable: true,
      maxAge: ONE_YEAR_S * 1000,
      allowedPath: (pathName) => /^\/(\d{3}(-italic)?\.css|index\.css|files\/[\w.-]+\.woff2?)$/.test(pathName),
    });
  }

  app.get('/assets/:file', async (request, reply) => {
    const asset = assets.byUrl.get(request.url.split('?')[0] ?? '');
    if (!asset) return reply.callNotFound();
    return reply
      .type(asset.contentType)
      .header('cache-control', `public, max-age=${ONE_YEAR_S}, immutable`)
      .send(asset.body);
  });

  app.get<{ Params: { region: string } }>('/assets/theme/:region', async (request, reply) => {
    const code = request.params.region.replace(/\.css$/, '');
    const region = ctx.regions().byCode(code);
    if (!region) return reply.callNotFound();
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(themeCss(region.theme));
  });

  // Browsers ask for /favicon.ico whatever the page says; both names answer the same SVG.
  for (const url of ['/favicon.ico', '/favicon.svg']) {
    app.get(url, async (_request, reply) =>
      reply
        .type(assets.favicon.contentType)
        .header('cache-control', `public, max-age=${ONE_DAY_S}`)
        .send(assets.favicon.body),
    );
  }

  app.get('/robots.txt', async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', `public, max-age=${ONE_DAY_S}`)
      .send(robotsTxt(siteOrigin(ctx, request))),
  );

  async function sendSitemap(request: FastifyRequest, reply: FastifyReply, part: number | 'root') {
    const urls = await listSitemapUrls(
      ctx.content,
      ctx.locales().enabled.map((l) => l.code),
    );
    const xml = sitemapDocument(urls, siteOrigin(ctx, request), LIMITS.sitemapUrls, part);
    if (xml === null) return reply.callNotFound();
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', `public, max-age=${ONE_HOUR_S}`)
      .send(xml);
  }
  app.get('/sitemap.xml', (request, reply) => sendSitemap(request, reply, 'root'));
  app.get<{ Params: { file: string } }>('/sitemaps/:file', (request, reply) => {
    const part = /^([1-9]\d{0,5})\.xml$/.exec(request.params.file)?.[1];
    return part ? sendSitemap(request, reply, Number(part)) : reply.callNotFound();
  });

  const enabledCodes = () => ctx.locales().enabled.map((l) => l.code);

  /** Locale, region and translate function for one request; remembers choices in cookies. */
  function pageContext(
    request: FastifyRequest,
    reply: FastifyReply,
    locale: string,
    pathAfterLocale: string,
  ): PageContext {
    return sitePageContext(ctx, assets, request, reply, locale, pathAfterLocale);
  }

  // Home, topic, article and "not found" pages are the same for every reader of a locale and region, so they are
  // rendered once and kept (page-cache.ts); search results (per query) and contact pages (render tokens) are not.
  const pages = new PageCache<PageMeta>({
    enabled: ctx.config.site.pageCache,
    maxBytes: ctx.config.site.pageCacheBytes,
    maxAgeMs: PAGE_MAX_AGE_MS,
  });
  // Every change a page can show clears the cache; other processes get the same events through the change feed.
  for (const event of INVALIDATING_EVENTS) ctx.bus.on(event, () => pages.invalidate());
  // The region and locale catalogues and the site write key are reloaded after their events (the regions
  // asynchronously): a page rendered in between would keep the old ones, so the objects themselves are watched too.
  let inputs = pageInputs(ctx);
  function checkInputs(): void {
    const now = pageInputs(ctx);
    if (now.regions === inputs.regions && now.locales === inputs.locales && now.writeKey === inputs.writeKey) return;
    inputs = now;
    pages.invalidate();
  }
  /**
   * For a CDN in front: the response may be stored for s-maxage and served stale while it revalidates (the ETag
   * makes that a 304). The body varies by URL, the `al_region` cookie and the country header (the region), and
   * Accept-Encoding: a CDN should key on exactly those (a custom cache key; `Vary: Cookie` alone would key on every
   * cookie, the reader's id included) and strip other cookies. Responses setting a cookie are private (onSend below).
   */
  const sharedCacheControl = `public, max-age=0, s-maxage=${ctx.config.site.sMaxAge}, stale-while-revalidate=${ctx.config.site.staleWhileRevalidate}`;
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Never let a shared cache store a response that sets a cookie (@fastify/cookie has written it by now).
    if (reply.hasHeader('set-cookie') && String(reply.getHeader('cache-control') ?? '').includes('public')) {
      reply.header('cache-control', 'private, no-cache');
    }
    done(null, payload);
  });

  /**
   * Serves one shareable page: from the cache, else `render`ed for the reader's region (and kept). False when the
   * page does not exist (render answered null): nothing was sent, the caller sends "not found". (Not the reply
   * itself: a reply is thenable, so an async function returning it would wait for the response to finish.)
   */
  async function servePage(
    request: FastifyRequest,
    reply: FastifyReply,
    locale: string,
    name: string,
    render: (region: Region) => Promise<RenderedPage<PageMeta> | null>,
  ): Promise<boolean> {
    const region = pageRegion(ctx, request, reply, locale);
    if (!pages.enabled) {
      const rendered = await render(region);
      if (!rendered) return false;
      countView(rendered.meta, locale);
      sendPage(reply, rendered.html, rendered.status);
      return true;
    }
    checkInputs();
    // The origin is part of the page (canonical and hreflang links) unless ANSWERLOOP_PUBLIC_URL fixes it.
    const key = `${siteOrigin(ctx, request)}|${locale}|${region.code}|${name}`;
    const page = await pages.lookup(key, () => render(region));
    if (!page) return false;
    countView(page.meta, locale);
    sendCachedPage(request, reply, page, page.status === 200 ? sharedCacheControl : 'no-cache');
    return true;
  }

  function countView(meta: PageMeta, locale: string): void {
    if (meta.articleId !== null) ctx.views.add(meta.articleId, locale);
  }

  function renderNotFound(request: FastifyRequest, locale: string, region: Region): RenderedPage<PageMeta> {
    const page = regionPageContext(ctx, assets, request, locale, region, '');
    const base = page.origin;
    return {
      status: 404,
      html: renderPage(
        <NotFoundPage ctx={page} alternates={allAlternates(ctx, base, '')} canonical={`${base}/${locale}`} />,
      ),
      meta: NO_META,
    };
  }

  async function notFoundPage(request: FastifyRequest, reply: FastifyReply, locale: string): Promise<void> {
    // The same page for every unknown URL of a locale, so one entry per locale and region, whatever the URL.
    await servePage(request, reply, locale, '404', async (region) => renderNotFound(request, locale, region));
  }

  app.get('/', async (request, reply) => {
    const locale = negotiateLocale(request.cookies[LOCALE_COOKIE], request.headers['accept-language'], enabledCodes());
    return reply.header('vary', 'Accept-Language, Cookie').redirect(`/${locale}`, 302);
  });

  app.get<{ Params: { locale: string } }>('/:locale', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const found = await servePage(request, reply, locale, 'home', async (region) => {
      const page = regionPageContext(ctx, assets, request, locale, region, '');
      const [topics, popular] = await Promise.all([ctx.content.topics(locale), ctx.content.popular(locale, 8)]);
      const html = renderPage(
        <HomePage
          ctx={page}
          topics={topics}
          popular={popular}
          alternates={allAlternates(ctx, page.origin, '')}
          canonical={`${page.origin}/${locale}`}
        />,
      );
      return { status: 200, html, meta: NO_META };
    });
    if (!found) await notFoundPage(request, reply, locale);
    return reply;
  });

  app.get<{ Params: { locale: string; slug: string } }>('/:locale/topics/:slug', async (request, reply) => {
    const { locale, slug } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const found = await servePage(request, reply, locale, `topic:${slug}`, async (region) => {
      const topics = await ctx.content.topics(locale);
      const topic = topics.find((t) => t.slug === slug);
      if (!topic) return null;
      const pathAfterLocale = `/topics/${slug}`;
      const page = regionPageContext(ctx, assets, request, locale, region, pathAfterLocale);
      const [path, articles] = await Promise.all([
        ctx.content.topicPath(topic.id, locale),
        ctx.content.articles({ locale, fallback: true, topicId: topic.id }),
      ]);
      const html = renderPage(
        <TopicPage
          ctx={page}
          topic={topic}
          path={path}
          subtopics={topics.filter((t) => t.parentId === topic.id)}
          articles={articles}
          alternates={allAlternates(ctx, page.origin, pathAfterLocale)}
          canonical={`${page.origin}/${locale}${pathAfterLocale}`}
        />,
      );
      return { status: 200, html, meta: NO_META };
    });
    if (!found) await notFoundPage(request, reply, locale);
    return reply;
  });

  /**
   * An article page for `region`. Shared (the cached form): the vote widget asks its question and the island loads
   * the reader's own state. With `reader`: the widget shows that reader's state (after a form post without
   * JavaScript, `?vote=`), and the page is never cached.
   */
  async function renderArticle(
    request: FastifyRequest,
    locale: string,
    slug: string,
    region: Region,
    reader?: { state: (revisionId: number) => Promise<VoteWidgetState> },
  ): Promise<RenderedPage<PageMeta> | null> {
    const article = await ctx.content.article(slug, locale);
    if (!article) return null;
    const pathAfterLocale = `/articles/${slug}`;
    const page = regionPageContext(ctx, assets, request, locale, region, pathAfterLocale);
    page.tracking = { ...page.tracking, article: { slug, locale: article.locale, revision: article.revision } };
    const catalog = ctx.regions();
    const rendered = renderRevision(article.revisionId, article.bodyMarkdown);
    const [path, siblings, voteState, helpful] = await Promise.all([
      ctx.content.topicPath(article.topicId, locale),
      ctx.content.articles({ locale, fallback: true, topicId: article.topicId }),
      reader ? reader.state(article.revisionId) : SHARED_VOTE_STATE,
      helpfulSummaries.of(article.revisionId),
    ]);
    // A disabled locale's translation is not served, so it is neither an alternate nor offered.
    const translations = article.translations.filter((tr) => ctx.locales().isEnabled(tr.locale));
    const alternates = translations.map((tr) => ({
      locale: tr.locale,
      href: `${page.origin}/${tr.locale}${pathAfterLocale}`,
    }));
    const description = resolvePlaceholdersText(
      rendered.plainText.slice(0, 300).replace(/\s+/g, ' '),
      catalog.prices,
      page.region.currency,
      article.locale,
    ).slice(0, 160);
    // The canonical URL is the version in the language the text is actually in.
    const canonical = `${page.origin}/${article.locale}${pathAfterLocale}`;
    const html = renderPage(
      <ArticlePage
        ctx={page}
        title={article.title}
        articleLocale={article.locale}
        sourceLocale={article.sourceLocale}
        html={resolvePlaceholders(rendered.html, catalog.prices, page.region.currency, article.locale)}
        description={description}
        toc={rendered.toc}
        updatedAt={article.updatedAt}
        outdated={article.outdated}
        path={path}
        related={siblings.filter((s) => s.slug !== slug).slice(0, 6)}
        translations={translations}
        alternates={alternates}
        canonical={canonical}
        after={
          <VoteWidget
            t={page.t}
            locale={locale}
            slug={slug}
            articleLocale={article.locale}
            revision={article.revision}
            state={voteState}
            loadState={!reader}
            helpful={helpful}
          />
        }
      />,
    );
    return { status: 200, html, meta: { articleId: article.articleId } };
  }

  app.get<{ Params: { locale: string; slug: string }; Querystring: { vote?: string } }>(
    '/:locale/articles/:slug',
    async (request, reply) => {
      const { locale, slug } = request.params;
      if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
      if (typeof request.query.vote === 'string') {
        // Back from the vote form without JavaScript: this reader's own widget state, so personal and never cached.
        const region = pageRegion(ctx, request, reply, locale);
        const readerId = ctx.readers.peek(request)?.readerId;
        const rendered = await renderArticle(request, locale, slug, region, {
          state: (revisionId) => voteStateFor(ctx.db, request, readerId, revisionId),
        });
        if (!rendered) {
          await notFoundPage(request, reply, locale);
          return reply;
        }
        countView(rendered.meta, locale);
        return sendPage(reply, rendered.html, rendered.status, 'private, no-store');
      }
      const found = await servePage(request, reply, locale, `article:${slug}`, (region) =>
        renderArticle(request, locale, slug, region),
      );
      if (!found) await notFoundPage(request, reply, locale);
      return reply;
    },
  );

  app.get<{ Params: { locale: string }; Querystring: { q?: string } }>('/:locale/search', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const page = pageContext(request, reply, locale, '/search');
    const raw = typeof request.query.q === 'string' ? request.query.q : '';
    const query = raw.trim();
    const tooLong = query.length > LIMITS.searchQuery;
    const catalog = ctx.regions();
    const outcome =
      tooLong || !query
        ? { hits: [], total: 0, strong: 0, weak: false, didYouMean: null }
        : ctx.search.engine.search(locale, query, { limit: LIMITS.searchResults });
    // The server remembers what it showed: a click may only name one of these.
    const results = selectResults(outcome.hits);
    const searchId =
      tooLong || !query
        ? null
        : await recordSearch(ctx.db, {
            locale,
            query,
            results: outcome.total,
            returned: results.shown.map((hit) => hit.slug),
            weak: outcome.weak,
            source: 'page',
            ...observeSearcher(ctx, request, reply),
          });
    if (searchId) {
      announceSearch(ctx.events, request, {
        locale,
        query,
        results: outcome.total,
        returned: results.shown.map((hit) => hit.slug),
      });
    }
    return sendPage(
      reply,
      <SearchPage
        ctx={page}
        query={tooLong ? '' : query}
        hits={results.shown.map((hit) => ({
          ...hit,
          snippetHtml: resolvePlaceholders(hit.snippetHtml, catalog.prices, page.region.currency, locale),
        }))}
        answers={results.answers}
        weak={results.weak}
        extra={<SearchPageExtra t={page.t} locale={locale} searchId={searchId} didYouMean={outcome.didYouMean} />}
        error={tooLong ? page.t('search.tooLong', { max: LIMITS.searchQuery }) : undefined}
        alternates={allAlternates(ctx, page.origin, '/search')}
        canonical={`${page.origin}/${locale}/search`}
      />,
      tooLong ? 400 : 200,
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url;
    if (url.startsWith('/api/') || url.startsWith('/v1/') || url.startsWith('/assets/')) {
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${url.split('?')[0]}` } });
    }
    const prefix = url.split('/')[1]?.split('?')[0] ?? '';
    const locale = ctx.locales().isEnabled(prefix)
      ? prefix
      : negotiateLocale(request.cookies[LOCALE_COOKIE], request.headers['accept-language'], enabledCodes());
    await notFoundPage(request, reply, locale);
    return reply;
  });
}
