import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TopicsTable {
  id: Generated<number>;
  slug: string;
  parent_id: number | null;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface TopicTranslationsTable {
  topic_id: number;
  locale: string;
  name: string;
  description: Generated<string>;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  topic_id: number;
  source_locale: Generated<string>;
  position: Generated<number>;
  created_at: CreatedAt;
}

export type ArticleStatus = 'draft' | 'published' | 'archived';

export interface ArticleTranslationsTable {
  id: Generated<number>;
  article_id: number;
  locale: string;
  status: Generated<ArticleStatus>;
  published_revision_id: number | null;
  published_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface ArticleRevisionsTable {
  id: Generated<number>;
  translation_id: number;
  number: number;
  title: string;
  body_md: string;
  keywords: Generated<string[]>;
  author: string;
  source_revision_id: number | null;
  created_at: CreatedAt;
}

export interface RegionsTable {
  code: string;
  name: string;
  currency: string;
  countries: Generated<string[]>;
  theme: ColumnType<RegionTheme, string, string>;
  is_default: Generated<boolean>;
}

export interface RegionTheme {
  brand?: string;
  brandContrast?: string;
  accent?: string;
  surface?: string;
}

export interface PricesTable {
  key: string;
  currency: string;
  // numeric comes back as a string from both drivers; we convert at the edge.
  amount: ColumnType<string, number | string, number | string>;
}

export interface ArticleDailyViewsTable {
  article_id: number;
  locale: string;
  day: ColumnType<Date, string, string>;
  views: number;
}

export interface ContentTables {
  topics: TopicsTable;
  topic_translations: TopicTranslationsTable;
  articles: ArticlesTable;
  article_translations: ArticleTranslationsTable;
  article_revisions: ArticleRevisionsTable;
  regions: RegionsTable;
  prices: PricesTable;
  article_daily_views: ArticleDailyViewsTable;
}
