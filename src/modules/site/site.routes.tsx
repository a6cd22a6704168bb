import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { LIMITS } from '../../shared/limits.js';
import { renderRevision, resolvePlaceholders, resolvePlaceholdersText } from '../content/index.js';
import { createHelpfulSummaries, VoteWidget, voteStateFor } from '../feedback/index.js';
import { announceSearch, observeSearcher, recordSearch, SearchPageExtra, selectResults } from '../search/index.js';
import { buildSiteAssets, FONT_PACKAGES, fontPackageDir, type SiteAssets, themeCss } from './assets.js';
import { LOCALE_COOKIE, negotiateLocale } from './negotiate.js';
import { allAlternates, sendPage, siteOrigin, sitePageContext } from './page-context.js';
import type { PageContext } from './pages/layout.js';
import { ArticlePage, HomePage, NotFoundPage, SearchPage, TopicPage } from './pages/pages.js';
import { listSitemapUrls, robotsTxt, sitemapDocument } from './sitemap.js';

const ONE_YEAR_S = 365 * 24 * 3600;
const ONE_DAY_S = 24 * 3600;
const ONE_HOUR_S = 3600;

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

  function notFoundPage(request: FastifyRequest, reply: FastifyReply, locale: string): FastifyReply {
    const page = pageContext(request, reply, locale, '');
    const base = page.origin;
    return sendPage(
      reply,
      <NotFoundPage ctx={page} alternates={allAlternates(ctx, base, '')} canonical={`${base}/${locale}`} />,
      404,
    );
  }

  app.get('/', async (request, reply) => {
    const locale = negotiateLocale(request.cookies[LOCALE_COOKIE], request.headers['accept-language'], enabledCodes());
    return reply.header('vary', 'Accept-Language, Cookie').redirect(`/${locale}`, 302);
  });

  app.get<{ Params: { locale: string } }>('/:locale', async (request, reply) => {
    const { locale } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const page = pageContext(request, reply, locale, '');
    const [topics, popular] = await Promise.all([ctx.content.topics(locale), ctx.content.popular(locale, 8)]);
    return sendPage(
      reply,
      <HomePage
        ctx={page}
        topics={topics}
        popular={popular}
        alternates={allAlternates(ctx, page.origin, '')}
        canonical={`${page.origin}/${locale}`}
      />,
    );
  });

  app.get<{ Params: { locale: string; slug: string } }>('/:locale/topics/:slug', async (request, reply) => {
    const { locale, slug } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const topics = await ctx.content.topics(locale);
    const topic = topics.find((t) => t.slug === slug);
    if (!topic) return notFoundPage(request, reply, locale);
    const pathAfterLocale = `/topics/${slug}`;
    const page = pageContext(request, reply, locale, pathAfterLocale);
    const [path, articles] = await Promise.all([
      ctx.content.topicPath(topic.id, locale),
      ctx.content.articles({ locale, fallback: true, topicId: topic.id }),
    ]);
    return sendPage(
      reply,
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
  });

  app.get<{ Params: { locale: string; slug: string } }>('/:locale/articles/:slug', async (request, reply) => {
    const { locale, slug } = request.params;
    if (!ctx.locales().isEnabled(locale)) return reply.callNotFound();
    const article = await ctx.content.article(slug, locale);
    if (!article) return notFoundPage(request, reply, locale);
    const pathAfterLocale = `/articles/${slug}`;
    const page = pageContext(request, reply, locale, pathAfterLocale);
    page.tracking = { ...page.tracking, article: { slug, locale: article.locale, revision: article.revision } };
    const catalog = ctx.regions();
    const rendered = renderRevision(article.revisionId, article.bodyMarkdown);
    const [path, siblings, voteState, helpful] = await Promise.all([
      ctx.content.topicPath(article.topicId, locale),
      ctx.content.articles({ locale, fallback: true, topicId: article.topicId }),
      voteStateFor(ctx.db, request, ctx.readers.peek(request)?.readerId, article.revisionId),
      helpfulSummaries.of(article.revisionId),
    ]);
    ctx.views.add(article.articleId, locale);
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
    return sendPage(
      reply,
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
            helpful={helpful}
          />
        }
      />,
    );
  });

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
    return notFoundPage(request, reply, locale);
  });
}
