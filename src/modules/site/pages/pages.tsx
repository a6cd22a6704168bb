import type { ArticleSummary, ArticleTranslationInfo, TocEntry, TopicSummary } from '../../content/index.js';
import { languageName } from '../i18n.js';
import { type Alternate, Layout, type PageContext, SearchForm } from './layout.js';

function ArticleLink({ ctx, article }: { ctx: PageContext; article: ArticleSummary }) {
  const foreign = article.locale !== ctx.locale;
  return (
    <li>
      <a href={`/${ctx.locale}/articles/${article.slug}`} lang={foreign ? article.locale : undefined}>
        {article.title}
      </a>
      {foreign ? <span class="badge">{ctx.locales.nameOf(article.locale)}</span> : null}
    </li>
  );
}

/** The contact page's address; from an article it carries the article, so the form knows what the reader read. */
export function contactHref(locale: string, context: { article?: string; revision?: number; q?: string } = {}): string {
  const params = new URLSearchParams();
  if (context.article) params.set('article', context.article);
  if (context.revision) params.set('revision', String(context.revision));
  if (context.q) params.set('q', context.q);
  const query = params.toString();
  return `/${locale}/contact${query ? `?${query}` : ''}`;
}

function ContactPrompt({ ctx, article }: { ctx: PageContext; article?: { slug: string; revision: number } }) {
  return (
    <aside class="cta">
      <span>{ctx.t('home.contactPrompt')}</span>
      <a href={contactHref(ctx.locale, article ? { article: article.slug, revision: article.revision } : {})}>
        {ctx.t('nav.contact')}
      </a>
    </aside>
  );
}

export interface HomePageProps {
  ctx: PageContext;
  topics: TopicSummary[];
  popular: ArticleSummary[];
  alternates: Alternate[];
  canonical: string;
}

/** `/:locale`: search, topics and popular articles. */
export function HomePage({ ctx, topics, popular, alternates, canonical }: HomePageProps) {
  const { t } = ctx;
  const roots = topics.filter((topic) => topic.parentId === null);
  const hero = (
    <section class="hero">
      <div class="container">
        <h1>{t('home.title')}</h1>
        <p>{t('site.tagline')}</p>
        <SearchForm ctx={ctx} id="home-search" />
      </div>
    </section>
  );
  return (
    <Layout
      ctx={ctx}
      title={t('home.title')}
      description={t('site.tagline')}
      alternates={alternates}
      canonical={canonical}
      hero={hero}
    >
      <h2 class="section-title">{t('home.topics')}</h2>
      <ul class="topic-grid">
        {roots.map((topic) => (
          <li key={topic.slug}>
            <a class="card" href={`/${ctx.locale}/topics/${topic.slug}`}>
              <h3 lang={topic.nameLocale === ctx.locale ? undefined : topic.nameLocale}>{topic.name}</h3>
              <p>{topic.description}</p>
              <span class="count">{t('topic.articles', { count: countWithChildren(topic, topics) })}</span>
            </a>
          </li>
        ))}
      </ul>
      {popular.length > 0 ? (
        <>
          <h2 class="section-title">{t('home.popular')}</h2>
          <ul class="article-list">
            {popular.map((article) => (
              <ArticleLink ctx={ctx} article={article} key={article.slug} />
            ))}
          </ul>
        </>
      ) : null}
      <ContactPrompt ctx={ctx} />
    </Layout>
  );
}

function countWithChildren(topic: TopicSummary, all: TopicSummary[]): number {
  return (
    topic.articleCount + all.filter((c) => c.parentId === topic.id).reduce((n, c) => n + countWithChildren(c, all), 0)
  );
}

function Breadcrumbs({ ctx, path, current }: { ctx: PageContext; path: TopicSummary[]; current?: string }) {
  return (
    <nav class="breadcrumbs" aria-label={ctx.t('breadcrumb')}>
      <ol>
        <li>
          <a href={`/${ctx.locale}`}>{ctx.t('nav.home')}</a>
        </li>
        {path.map((topic, i) =>
          i === path.length - 1 && !current ? (
            <li key={topic.slug} aria-current="page">
              {topic.name}
            </li>
          ) : (
            <li key={topic.slug}>
              <a href={`/${ctx.locale}/topics/${topic.slug}`}>{topic.name}</a>
            </li>
          ),
        )}
        {current ? <li aria-current="page">{current}</li> : null}
      </ol>
    </nav>
  );
}

export interface TopicPageProps {
  ctx: PageContext;
  topic: TopicSummary;
  path: TopicSummary[];
  subtopics: TopicSummary[];
  articles: ArticleSummary[];
  alternates: Alternate[];
  canonical: string;
}

/** `/:locale/topics/:slug`: the topic's subtopics and articles. */
export function TopicPage({ ctx, topic, path, subtopics, articles, alternates, canonical }: TopicPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={topic.name} description={topic.description} alternates={alternates} canonical={canonical}>
      <Breadcrumbs ctx={ctx} path={path} />
      <h1>{topic.name}</h1>
      {topic.description ? <p>{topic.description}</p> : null}
      <div class="page-search">
        <SearchForm ctx={ctx} id="topic-search" />
      </div>
      {subtopics.length > 0 ? (
        <>
          <h2 class="section-title">{t('topic.subtopics')}</h2>
          <ul class="topic-grid">
            {subtopics.map((sub) => (
              <li key={sub.slug}>
                <a class="card" href={`/${ctx.locale}/topics/${sub.slug}`}>
                  <h3>{sub.name}</h3>
                  <p>{sub.description}</p>
                  <span class="count">{t('topic.articles', { count: sub.articleCount })}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {articles.length > 0 ? (
        <ul class="article-list">
          {articles.map((article) => (
            <ArticleLink ctx={ctx} article={article} key={article.slug} />
          ))}
        </ul>
      ) : subtopics.length === 0 ? (
        <p class="empty-state">{t('topic.empty')}</p>
      ) : null}
      <ContactPrompt ctx={ctx} />
    </Layout>
  );
}

export interface ArticlePageProps {
  ctx: PageContext;
  title: string;
  articleLocale: string;
  sourceLocale: string;
  html: string;
  description: string;
  toc: TocEntry[];
  updatedAt: Date;
  outdated: boolean;
  path: TopicSummary[];
  related: ArticleSummary[];
  translations: ArticleTranslationInfo[];
  alternates: Alternate[];
  canonical: string;
  /** Rendered after the article body: islands added by other modules (votes). */
  after?: preact.ComponentChildren;
}

/** `/:locale/articles/:slug`: the article with breadcrumbs, table of contents, languages and related articles. */
export function ArticlePage(props: ArticlePageProps) {
  const { ctx } = props;
  const { t, locale } = ctx;
  const fallback = props.articleLocale !== locale;
  // The UI strings (and so the notices) are in the nearest shipped language, which is not always the page's.
  const ui = ctx.locales.uiLanguageOf(locale);
  const direction = ctx.locales.direction;
  const dateText = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(props.updatedAt);
  const others = props.translations.filter((tr) => tr.locale !== props.articleLocale);
  return (
    <Layout
      ctx={ctx}
      headerSearch
      ogType="article"
      contentLocale={props.articleLocale}
      title={props.title}
      description={props.description}
      alternates={props.alternates}
      canonical={props.canonical}
    >
      <Breadcrumbs ctx={ctx} path={props.path} current={props.title} />
      <div class="article-layout">
        <article
          class="article-body"
          lang={fallback ? props.articleLocale : undefined}
          dir={fallback ? direction(props.articleLocale) : undefined}
        >
          {fallback ? (
            <p class="notice" lang={ui} dir={direction(ui)}>
              {t('article.fallbackNotice', {
                language: languageName(locale, ui),
                source: languageName(props.articleLocale, ui),
              })}
            </p>
          ) : null}
          {!fallback && props.outdated ? (
            <p class="notice">{t('article.outdatedNotice', { source: languageName(props.sourceLocale, ui) })}</p>
          ) : null}
          <h1>{props.title}</h1>
          <p class="article-meta" lang={ui} dir={direction(ui)}>
            <time dateTime={props.updatedAt.toISOString()}>{t('article.updated', { date: dateText })}</time>
          </p>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the content module when rendered from Markdown */}
          <div class="article-content" dangerouslySetInnerHTML={{ __html: props.html }} />
          {props.after}
        </article>
        <aside class="aside">
          {props.toc.length > 1 ? (
            <nav class="toc" aria-labelledby="toc-title">
              <h2 id="toc-title">{t('article.toc')}</h2>
              <ol
                lang={fallback ? props.articleLocale : undefined}
                dir={fallback ? direction(props.articleLocale) : undefined}
              >
                {props.toc.map((entry) => (
                  <li class={`toc-${entry.level}`} key={entry.id}>
                    <a href={`#${encodeURIComponent(entry.id)}`}>{entry.text}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          {others.length > 0 ? (
            <section class="languages" aria-labelledby="languages-title">
              <h2 id="languages-title">{t('article.languages')}</h2>
              <ul>
                {others.map((tr) => (
                  <li key={tr.locale}>
                    <a href={`/${tr.locale}${ctx.pathAfterLocale}`} hrefLang={tr.locale} lang={tr.locale}>
                      {ctx.locales.nameOf(tr.locale)}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {props.related.length > 0 ? (
            <section class="related" aria-labelledby="related-title">
              <h2 id="related-title">{t('article.related')}</h2>
              <ul>
                {props.related.map((article) => (
                  <li key={article.slug}>
                    <a
                      href={`/${locale}/articles/${article.slug}`}
                      lang={article.locale !== locale ? article.locale : undefined}
                    >
                      {article.title}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
      <ContactPrompt ctx={ctx} article={ctx.tracking?.article} />
    </Layout>
  );
}

export interface SearchHit {
  slug: string;
  title: string;
  locale: string;
  /** HTML with matched words in <mark>; built from escaped text. */
  snippetHtml: string;
  /** It matches only some of the query's words: labelled a partial match. */
  weak?: boolean;
}

export interface SearchPageProps {
  ctx: PageContext;
  query: string;
  hits: SearchHit[];
  /** Hits that answer the query (the count shown); defaults to every hit. */
  answers?: number;
  /** Articles matched but none answers the query: say so and offer the contact page above the partial matches. */
  weak?: boolean;
  error?: string;
  alternates: Alternate[];
  canonical: string;
  /** "Did you mean" and other additions from the search module. */
  extra?: preact.ComponentChildren;
}

/**
 * `/:locale/search?q=`: results; partial matches labelled; when nothing answers (no results, or only partial
 * matches), a notice that points to the contact page.
 */
export function SearchPage({ ctx, query, hits, answers, weak, error, alternates, canonical, extra }: SearchPageProps) {
  const { t, locale } = ctx;
  const title = query ? t('search.resultsFor', { query }) : t('search.title');
  const list = (
    <ol class="search-results">
      {hits.map((hit) => (
        <li key={hit.slug} data-weak={hit.weak ? '' : undefined}>
          <h2>
            <a href={`/${locale}/articles/${hit.slug}`} lang={hit.locale !== locale ? hit.locale : undefined}>
              {hit.title}
            </a>
          </h2>
          {hit.weak ? <span class="partial-match">{t('search.partial')}</span> : null}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: build-snippet.ts escapes the text and adds only <mark> */}
          <p dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />
        </li>
      ))}
    </ol>
  );
  return (
    <Layout ctx={{ ...ctx, searchQuery: query }} title={title} alternates={alternates} canonical={canonical} noindex>
      <h1>{title}</h1>
      <div class="page-search">
        <SearchForm ctx={{ ...ctx, searchQuery: query }} id="results-search" />
      </div>
      {extra}
      {error ? (
        <p class="empty-state" role="alert">
          {error}
        </p>
      ) : !query ? (
        <p class="empty-state">{t('search.empty')}</p>
      ) : hits.length === 0 ? (
        <div class="empty-state">
          <p>{t('search.none', { query })}</p>
          <p>{t('search.noneHelp')}</p>
          <a href={`/${locale}/contact`}>{t('nav.contact')}</a>
        </div>
      ) : weak ? (
        <>
          <div class="empty-state" data-weak-results="">
            <p role="status">{t('search.weak', { query })}</p>
            <p>{t('search.weakHelp')}</p>
            <a href={`/${locale}/contact`}>{t('nav.contact')}</a>
          </div>
          {list}
        </>
      ) : (
        <>
          <p role="status">{t('search.count', { count: answers ?? hits.length })}</p>
          {list}
        </>
      )}
    </Layout>
  );
}

/** The localised 404 page. */
export function NotFoundPage({
  ctx,
  alternates,
  canonical,
}: {
  ctx: PageContext;
  alternates: Alternate[];
  canonical: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notFound.title')} alternates={alternates} canonical={canonical} noindex>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <div class="page-search">
        <SearchForm ctx={ctx} id="notfound-search" />
      </div>
      <p>
        <a href={`/${ctx.locale}`}>{t('notFound.home')}</a>
      </p>
    </Layout>
  );
}
