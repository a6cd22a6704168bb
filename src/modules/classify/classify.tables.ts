import type { ColumnType, Generated } from 'kysely';

/** bigint identities: node-postgres returns them as strings, PGlite as numbers; convert with Number() at the edge. */
type BigId = ColumnType<number | string, never, never>;
type BigRef = ColumnType<number | string, number | string, number | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** What a feedback item is: a vote's comment, a ticket, a search query, or a labeled example imported to train. */
export const ITEM_KINDS = ['vote', 'ticket', 'search', 'example'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export type ModelStatus = 'queued' | 'training' | 'ready' | 'failed';

export interface TaxonomyCategoriesTable {
  id: Generated<number>;
  slug: string;
  parent_id: number | null;
  position: Generated<number>;
  description: Generated<string>;
  examples: Generated<string[]>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TaxonomyCategoryNamesTable {
  category_id: number;
  locale: string;
  name: string;
}

export interface FeedbackItemsTable {
  id: BigId;
  kind: ItemKind;
  source_id: BigRef | null;
  locale: string | null;
  text: string;
  /** Detected language (ISO 639-1 or 'und'); NULL until the categorisation job or a training snapshot fills it. */
  language: string | null;
  created_at: CreatedAt;
  review_skipped_at: Timestamp | null;
}

export interface HumanLabelsTable {
  item_id: BigRef;
  category_id: number;
  labeled_by: string;
  labeled_at: CreatedAt;
}

/** A category as a model version knew it when trained. */
export interface ModelCategory {
  id: number;
  slug: string;
  parentId: number | null;
}

/** One training example of a version's snapshot; labels are category ids. */
export interface SnapshotExample {
  itemId: number;
  text: string;
  /** Detected language; absent in snapshots taken before languages were recorded. */
  language?: string;
  labels: number[];
}

export interface ModelVersionsTable {
  id: Generated<number>;
  status: Generated<ModelStatus>;
  is_active: Generated<boolean>;
  note: Generated<string>;
  settings: Json<unknown>;
  progress: Generated<number>;
  progress_message: Generated<string>;
  examples: Generated<number>;
  categories: Json<ModelCategory[]>;
  snapshot: Json<SnapshotExample[]>;
  evaluation: Json<unknown> | null;
  model: Uint8Array | null;
  model_bytes: number | null;
  error: string | null;
  created_by: Generated<string>;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  activated_at: Timestamp | null;
}

export interface PredictionsTable {
  item_id: BigRef;
  model_version_id: number;
  category_id: number | null;
  level: 'leaf' | 'parent' | null;
  confidence: number;
  margin: number;
  top: Json<{ categoryId: number; confidence: number }[]>;
  predicted_at: CreatedAt;
}

export interface PredictedLabelsTable {
  item_id: BigRef;
  model_version_id: number;
  category_id: number;
  confidence: number;
}

export type ThemeProposalKind = 'new' | 'merge' | 'split';
export type ThemeProposalStatus = 'open' | 'accepted' | 'merged' | 'dismissed';

export interface ThemeRunsTable {
  id: Generated<number>;
  model_version_id: number | null;
  window_days: number;
  texts: number;
  capped: boolean;
  k: number;
  noise: number;
  seconds: number;
  created_by: string;
  created_at: CreatedAt;
  status: Generated<ThemeRunStatus>;
  /** Share of the texts clustered so far (0–1). */
  progress: Generated<number>;
  error: string | null;
  /** Texts of languages with too few texts to cluster. */
  too_few: Generated<number>;
  languages: ColumnType<ThemeRunLanguage[], string | undefined, string>;
  finished_at: Timestamp | null;
}

export type ThemeRunStatus = 'running' | 'ready' | 'failed';
/** One language of a theme run: its texts, whether there were enough to cluster, and the clusters found. */
export interface ThemeRunLanguage {
  language: string;
  texts: number;
  clustered: boolean;
  k: number;
}

export interface ThemeProposalsTable {
  id: Generated<number>;
  run_id: number;
  position: number;
  kind: ThemeProposalKind;
  category_id: number | null;
  similarity: number | null;
  name: string;
  terms: string[];
  item_ids: ColumnType<(number | string)[], number[], number[]>;
  example_ids: ColumnType<(number | string)[], number[], number[]>;
  share: number;
  coherence: number;
  last_week: number;
  weekly_before: number;
  status: Generated<ThemeProposalStatus>;
  result_category_id: number | null;
  labeled: number | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  language: string | null;
}

export interface ClassifyTables {
  taxonomy_categories: TaxonomyCategoriesTable;
  taxonomy_category_names: TaxonomyCategoryNamesTable;
  feedback_items: FeedbackItemsTable;
  human_labels: HumanLabelsTable;
  model_versions: ModelVersionsTable;
  predictions: PredictionsTable;
  predicted_labels: PredictedLabelsTable;
  theme_runs: ThemeRunsTable;
  theme_proposals: ThemeProposalsTable;
}
