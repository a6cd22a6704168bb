import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AppContext } from '../../server/context.js';
import type { Region } from '../content/index.js';
import type { SiteAssets } from './assets.js';
import { translator } from './i18n.js';
import { LOCALE_COOKIE, negotiateRegion, REGION_COOKIE } from './negotiate.js';
import type { Alternate, PageContext } from './pages/layout.js';

const ONE_YEAR_S = 365 * 24 * 3600;

/** The site's absolute origin: the configured public URL, else the request's. */
export function siteOrigin(ctx: AppContext, request: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** hreflang alternates of a page that exists in every enabled locale. */
export function allAlternates(ctx: AppContext, base: string, pathAfterLocale: string): Alternate[] {
  return ctx.locales().enabled.map(({ code }) => ({ locale: code, href: `${base}/${code}${pathAfterLocale}` }));
}

/** A page's HTML document. */
export function renderPage(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** Sends a page rendered for this request (never stored by shared caches: it may carry a reader's answers). */
export function sendPage(
  reply: FastifyReply,
  page: VNode | string,
  status = 200,
  cacheControl = 'no-cache',
): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', cacheControl)
    .send(typeof page === 'string' ? page : renderPage(page));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The reader's region for a page, remembering a `?region=` choice and the locale in cookies (set on `reply`). */
export function pageRegion(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, locale: string): Region {
  const catalog = ctx.regions();
  const query = request.query as Record<string, unknown>;
  const choice = negotiateRegion(catalog, {
    query: typeof query.region === 'string' ? query.region : undefined,
    cookie: request.cookies[REGION_COOKIE],
    country: headerValue(request.headers[ctx.config.countryHeader]),
  });
  const cookieOptions = { path: '/', maxAge: ONE_YEAR_S, sameSite: 'lax' as const, httpOnly: true };
  if (choice.source === 'query' && request.cookies[REGION_COOKIE] !== choice.region.code) {
    reply.setCookie(REGION_COOKIE, choice.region.code, cookieOptions);
  }
  if (request.cookies[LOCALE_COOKIE] !== locale) reply.setCookie(LOCALE_COOKIE, locale, cookieOptions);
  // The body depends on the region, chosen from the region cookie and the country header (besides the URL).
  reply.header('vary', `Cookie, ${ctx.config.countryHeader}`);
  return choice.region;
}

/**
 * Everything a page of `locale` in `region` shows that is not its own content; the same for every reader (nothing
 * from their cookies beyond the region), so the page can be cached and shared.
 */
export function regionPageContext(
  ctx: AppContext,
  assets: SiteAssets,
  request: FastifyRequest,
  locale: string,
  region: Region,
  pathAfterLocale: string,
): PageContext {
  const locales = ctx.locales();
  return {
    locale,
    // A locale without UI strings of its own shows its nearest language's (e.g. pt-BR → es), until they are added.
    t: translator(locales.uiLanguageOf(locale)),
    locales,
    region,
    regions: ctx.regions().regions,
    assets,
    origin: siteOrigin(ctx, request),
    pathAfterLocale,
    tracking: { writeKey: ctx.events.siteWriteKey() },
  };
}

/**
 * Locale, region and translate function for one page request of the public site (the site's routes and the contact
 * pages share it); remembers the reader's choices in cookies.
 */
export function sitePageContext(
  ctx: AppContext,
  assets: SiteAssets,
  request: FastifyRequest,
  reply: FastifyReply,
  locale: string,
  pathAfterLocale: string,
): PageContext {
  return regionPageContext(ctx, assets, request, locale, pageRegion(ctx, request, reply, locale), pathAfterLocale);
}
