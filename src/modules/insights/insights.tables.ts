import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Which revision of a translation was live when (migration 0014; kept by a trigger on article_translations). */
export interface RevisionPublicationsTable {
  id: ColumnType<number | string, never, never>;
  translation_id: number;
  revision_id: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

/** The daily rollup per article × locale × revision that every insights figure reads. */
export interface InsightArticleDailyTable {
  day: DateOnly;
  article_id: number;
  locale: string;
  revision_id: number;
  views: Generated<number>;
  readers: Generated<number>;
  contacted: Generated<number>;
  searched_again: Generated<number>;
  tickets: Generated<number>;
  votes: Generated<number>;
  helpful: Generated<number>;
  reason_inaccurate: Generated<number>;
  reason_hard_to_understand: Generated<number>;
  reason_missing_information: Generated<number>;
  reason_did_not_solve: Generated<number>;
  reason_other: Generated<number>;
}

export interface InsightDirtyDaysTable {
  day: DateOnly;
  marked_at: Generated<Date>;
}

export interface InsightsTables {
  revision_publications: RevisionPublicationsTable;
  insight_article_daily: InsightArticleDailyTable;
  insight_dirty_days: InsightDirtyDaysTable;
}
