import type { TFunction } from 'i18next';
import type { ComponentChildren } from 'preact';
import type { LocaleCatalog, Region } from '../../content/index.js';
import { fontStylesheets, type SiteAssets } from '../assets.js';
import { translateWithElements } from '../i18n.js';

/** Open Graph wants language_TERRITORY; these are the territories social sites expect for each language. */
const OG_LOCALES: Record<string, string> = {
  en: 'en_US',
  es: 'es_ES',
  ru: 'ru_RU',
  ar: 'ar_AR',
  he: 'he_IL',
  ja: 'ja_JP',
};

function ogLocale(locale: string): string {
  return OG_LOCALES[locale] ?? locale.replace('-', '_');
}

export interface PageContext {
  locale: string;
  /** UI strings of `locales.uiLanguageOf(locale)`. */
  t: TFunction;
  /** The content locales: names for the language menu, directions, fallback chains. */
  locales: LocaleCatalog;
  region: Region;
  regions: Region[];
  assets: SiteAssets;
  /** Absolute origin for canonical and hreflang links, e.g. https://help.example.com */
  origin: string;
  /** The current path after the locale prefix, e.g. "/articles/reset-password" ("" for home). */
  pathAfterLocale: string;
  searchQuery?: string;
  /** For the analytics snippet: the site's public write key and, on article pages, the article shown. */
  tracking?: { writeKey?: string | undefined; article?: { slug: string; locale: string; revision: number } };
}

export interface Alternate {
  locale: string;
  href: string;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  /** Locales this page exists in, for hreflang and the language switcher. */
  alternates: Alternate[];
  canonical: string;
  children: ComponentChildren;
  hero?: ComponentChildren;
  noindex?: boolean;
  /** A search box in the header, for pages that have none of their own (articles, contact). */
  headerSearch?: boolean;
  /** For link previews: `article` on article pages. */
  ogType?: 'website' | 'article';
  /** The language the page's text is in when it differs from the UI's (an untranslated article). */
  contentLocale?: string;
}

/** Search box; submits to the results page, so it works without JavaScript. */
export function SearchForm({ ctx, id, autofocus }: { ctx: PageContext; id: string; autofocus?: boolean }) {
  // The typeahead island reads its localised strings from here; one announcement per plural category.
  const categories = new Intl.PluralRules(ctx.locale).resolvedOptions().pluralCategories;
  const typeahead = JSON.stringify({
    label: ctx.t('typeahead.label'),
    queries: ctx.t('typeahead.queries'),
    articles: ctx.t('typeahead.articles'),
    none: ctx.t('typeahead.none'),
    noneSearch: ctx.t('typeahead.noneSearch'),
    count: Object.fromEntries(
      categories.map((c) => [c, ctx.t(`typeahead.count_${c}`, { defaultValue: ctx.t('typeahead.count_other') })]),
    ),
  });
  return (
    // biome-ignore lint/a11y/useSemanticElements: role=search on the form is equivalent and <search> is not in Preact's JSX types yet
    <form class="search-form" role="search" action={`/${ctx.locale}/search`} method="get" data-typeahead={typeahead}>
      <label class="visually-hidden" for={id}>
        {ctx.t('search.label')}
      </label>
      <input
        id={id}
        type="search"
        name="q"
        value={ctx.searchQuery ?? ''}
        placeholder={ctx.t('search.placeholder')}
        aria-label={ctx.t('search.label')}
        maxLength={200}
        autocomplete="off"
        autofocus={autofocus}
        data-search-input=""
      />
      <button type="submit">{ctx.t('search.submit')}</button>
    </form>
  );
}

/** The page frame shared by every public page: head, header with navigation and language switcher, footer. */
export function Layout({
  ctx,
  title,
  description,
  alternates,
  canonical,
  children,
  hero,
  noindex,
  headerSearch,
  ogType = 'website',
  contentLocale,
}: LayoutProps) {
  const { locale, t } = ctx;
  const dir = ctx.locales.direction(locale);
  const year = new Date().getUTCFullYear();
  const pageTitle = `${title} – ${t('site.name')}`;
  const summary = description ?? t('site.tagline');
  const textLocale = contentLocale ?? locale;
  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{pageTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonical} />
        <link rel="icon" href={ctx.assets.favicon.url} type="image/svg+xml" />
        {/* Link previews (Open Graph, read by most sites, and X's card); Preact escapes every value. */}
        <meta property="og:type" content={ogType} />
        <meta property="og:site_name" content={t('site.name')} />
        <meta property="og:title" content={title} />
        <meta property="og:description" content={summary} />
        <meta property="og:url" content={canonical} />
        <meta property="og:locale" content={ogLocale(textLocale)} />
        {alternates
          .filter((alt) => alt.locale !== textLocale)
          .map((alt) => (
            <meta property="og:locale:alternate" content={ogLocale(alt.locale)} key={alt.locale} />
          ))}
        <meta name="twitter:card" content="summary" />
        <meta name="twitter:title" content={pageTitle} />
        <meta name="twitter:description" content={summary} />
        {alternates.map((alt) => (
          <link rel="alternate" hrefLang={alt.locale} href={alt.href} key={alt.locale} />
        ))}
        {alternates.some((a) => a.locale === 'en') ? (
          <link rel="alternate" hrefLang="x-default" href={alternates.find((a) => a.locale === 'en')!.href} />
        ) : null}
        {fontStylesheets(locale).map((href) => (
          <link rel="stylesheet" href={href} key={href} />
        ))}
        <link rel="stylesheet" href={ctx.assets.css.url} />
        <link rel="stylesheet" href={`/assets/theme/${ctx.region.code}.css`} />
        <script type="module" src={ctx.assets.js.url} />
      </head>
      <body
        data-al-key={ctx.tracking?.writeKey}
        data-al-locale={locale}
        data-al-article={ctx.tracking?.article?.slug}
        data-al-article-locale={ctx.tracking?.article?.locale}
        data-al-revision={ctx.tracking?.article?.revision}
      >
        <a class="skip-link" href="#main">
          {t('skip')}
        </a>
        <header class="site-header">
          <div class="container">
            <a class="brand" href={`/${locale}`}>
              <span class="brand-mark" aria-hidden="true">
                P
              </span>
              <span>{t('site.name')}</span>
            </a>
            {headerSearch ? (
              <div class="header-search">
                <SearchForm ctx={ctx} id="header-search" />
              </div>
            ) : null}
            <nav class="main-nav" aria-label={t('nav.label')}>
              <a href={`/${locale}`}>{t('nav.home')}</a>
              <a href={`/${locale}/contact`}>{t('nav.contact')}</a>
              <LanguageMenu ctx={ctx} alternates={alternates} />
            </nav>
          </div>
        </header>
        {/* The hero is inside main so every piece of content sits in a landmark. */}
        <main id="main">
          {hero}
          <div class="container page-body">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="container">
            {/* The company name is isolated: in Arabic and Hebrew its full stop would otherwise jump to its start. */}
            <span class="copyright">
              {translateWithElements(t, 'footer.copyright', {
                year: <bdi>{year}</bdi>,
                company: <bdi>{t('footer.company')}</bdi>,
              })}
            </span>
            <RegionForm ctx={ctx} />
            <span>{t('footer.poweredBy')}</span>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** An alternate's path on this site, with its query (the contact page's `?form=` picks the same form). */
function sameSitePath(href: string): string {
  const url = new URL(href);
  return url.pathname + url.search;
}

function LanguageMenu({ ctx, alternates }: { ctx: PageContext; alternates: Alternate[] }) {
  return (
    <details class="lang-menu" data-menu="">
      {/* The visible name is part of the accessible name ("Language English"), as voice control needs. */}
      <summary>
        <span class="visually-hidden">{`${ctx.t('language.label')} `}</span>
        {ctx.locales.nameOf(ctx.locale)}
      </summary>
      <ul>
        {alternates.map((alt) => (
          <li key={alt.locale}>
            <a
              href={sameSitePath(alt.href)}
              hrefLang={alt.locale}
              lang={alt.locale}
              aria-current={alt.locale === ctx.locale ? 'true' : undefined}
            >
              <bdi>{ctx.locales.nameOf(alt.locale)}</bdi>
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}

function RegionForm({ ctx }: { ctx: PageContext }) {
  return (
    <form class="region-form" method="get" action={`/${ctx.locale}${ctx.pathAfterLocale}`}>
      <label for="region-select">{ctx.t('region.label')}</label>
      <select id="region-select" name="region">
        {ctx.regions.map((region) => (
          <option value={region.code} selected={region.code === ctx.region.code} key={region.code}>
            {/* Options hold text only: Unicode isolates keep "(USD)" whole beside a name in any script. */}
            {`\u2068${region.name}\u2069 (\u2068${region.currency}\u2069)`}
          </option>
        ))}
      </select>
      <button type="submit">{ctx.t('region.submit')}</button>
    </form>
  );
}
