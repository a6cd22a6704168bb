import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client.js';

/*
 * The classifier's operator API (src/modules/classify/classify.routes.ts), its answers written out here: the schema
 * modules import the content module's index, which would pull every server route into the app's typecheck. Keep in
 * step with ZCategoryView, ZModelVersionView, the queue and compare responses. Fields marked optional may be missing
 * on an older server (per-language figures, the languages endpoint).
 */
export interface CategoryView {
  id: number;
  slug: string;
  parent: string | null;
  names: Record<string, string>;
  description: string;
  examples: string[];
  position: number;
  archived: boolean;
  /** Items labeled with it by people. */
  humanLabels: number;
}

export interface ClassMetrics {
  category: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

export interface LanguageMetrics {
  language: string;
  examples: number;
  accuracy: number;
  macroF1: number;
}

export interface EvaluationView {
  method: 'holdout' | 'kfold';
  testFraction?: number;
  folds?: number;
  trainExamples: number;
  testExamples: number;
  accuracy: number;
  macroF1: number;
  spread?: { accuracy: { mean: number; std: number }; macroF1: { mean: number; std: number } };
  perClass: ClassMetrics[];
  confusedPairs: { actual: string; predicted: string; count: number }[];
  coverageCurve: { threshold: number; coverage: number; precision: number | null }[];
  operatingPoint: {
    threshold: number;
    coverage: number;
    precision: number | null;
    parentCoverage: number;
    parentPrecision: number | null;
    unsure: number;
  };
  /** Accuracy per detected language of the test examples (newer servers). */
  perLanguage?: LanguageMetrics[];
}

export type ModelStatus = 'queued' | 'training' | 'ready' | 'failed';

export interface ModelVersionView {
  version: number;
  status: ModelStatus;
  active: boolean;
  note: string;
  progress: number;
  progressMessage: string;
  examples: number;
  categories: number;
  modelBytes: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  activatedAt: string | null;
  evaluation: EvaluationView | null;
}

export interface ModelComparison {
  candidate: ModelVersionView;
  /** The version compared against: the active one, or the one asked for. */
  active: ModelVersionView | null;
  delta: { accuracy: number; macroF1: number; coverage: number } | null;
  perCategory: { category: string; candidateF1: number | null; activeF1: number | null }[];
  agreement: {
    items: number;
    same: number;
    changes: { text: string; active: string | null; candidate: string | null }[];
  } | null;
}

export type ItemKind = 'vote' | 'ticket' | 'search' | 'example';

export interface QueueItem {
  itemId: number;
  kind: ItemKind;
  id: number;
  locale: string | null;
  /** Detected language of the text (newer servers). */
  language?: string | null;
  text: string;
  createdAt: string;
  uncertainty: number | null;
  predicted: {
    category: string | null;
    confidence: number;
    top: { category: string; confidence: number }[];
  } | null;
}

export interface LanguageCoverage {
  language: string;
  items: number;
  labelled: number;
  categoriesWithoutExamples: string[];
  perCategory: { category: string; labelled: number }[];
}

export interface TrainRequest {
  note: string;
  evaluation: { method: 'holdout'; testFraction: number } | { method: 'kfold'; folds: number };
}

export interface CategoryInput {
  slug?: string;
  parent?: string | null;
  names?: Record<string, string>;
  description?: string;
}

const TAXONOMY_KEY = ['taxonomy'] as const;
const MODELS_KEY = ['classify', 'models'] as const;

/** Every category, archived ones included (the editor shows them apart). */
export function useTaxonomy() {
  return useQuery({
    queryKey: TAXONOMY_KEY,
    queryFn: ({ signal }) =>
      api<{ categories: CategoryView[] }>('/api/taxonomy', { query: { includeArchived: 'true' }, signal }),
  });
}

/** A category's name in the UI language, else English, else its slug. */
export function categoryName(category: CategoryView | undefined, language: string, slug = ''): string {
  if (!category) return slug;
  return category.names[language] ?? category.names.en ?? category.slug;
}

/** Writes on the taxonomy; each one reloads the tree. */
export function useTaxonomyWrite() {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: TAXONOMY_KEY });
  return {
    create: useMutation({
      mutationFn: (input: CategoryInput & { slug: string; names: Record<string, string> }) =>
        api<CategoryView>('/api/taxonomy/categories', { method: 'POST', body: input }),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({ slug, change }: { slug: string; change: CategoryInput }) =>
        api<CategoryView>(`/api/taxonomy/categories/${slug}`, { method: 'PATCH', body: change }),
      onSuccess: done,
    }),
    merge: useMutation({
      mutationFn: ({ slug, into }: { slug: string; into: string }) =>
        api<{ from: string; into: string; movedLabels: number; droppedDuplicates: number; movedChildren: string[] }>(
          `/api/taxonomy/categories/${slug}/merge`,
          { method: 'POST', body: { into } },
        ),
      onSuccess: done,
    }),
    archive: useMutation({
      mutationFn: ({ slug, archived }: { slug: string; archived: boolean }) =>
        api<{ affected: string[] }>(`/api/taxonomy/categories/${slug}/${archived ? 'archive' : 'restore'}`, {
          method: 'POST',
        }),
      onSuccess: done,
    }),
  };
}

/** Labelled items per language; null when the server has no languages endpoint yet. */
export function useLanguageCoverage() {
  return useQuery({
    queryKey: ['classify', 'languages'],
    queryFn: async ({ signal }) => {
      try {
        return await api<{ languages: LanguageCoverage[]; other?: { languages: number; items: number } }>(
          '/api/classify/languages',
          { signal },
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    retry: false,
  });
}

export const QUEUE_PAGE = 100;

/** The active-learning queue: items the active model is least sure about first. */
export function useQueue() {
  return useQuery({
    queryKey: ['classify', 'queue'],
    queryFn: ({ signal }) =>
      api<{ modelVersion: number | null; items: QueueItem[] }>('/api/classify/queue', {
        query: { limit: QUEUE_PAGE },
        signal,
      }),
    refetchOnWindowFocus: false,
  });
}

/** The labelling actions of the queue; each returns what undoing it needs. */
export const queueApi = {
  label: (item: QueueItem, category: string, labeledBy: string) =>
    api(`/api/classify/items/${item.kind}/${item.id}/labels`, {
      method: 'POST',
      body: { categories: [category], labeledBy },
    }),
  unlabel: (item: QueueItem, category: string) =>
    api(`/api/classify/items/${item.kind}/${item.id}/labels/${category}`, { method: 'DELETE' }),
  skip: (item: QueueItem) => api(`/api/classify/queue/${item.itemId}/skip`, { method: 'POST' }),
  unskip: (item: QueueItem) => api(`/api/classify/queue/${item.itemId}/skip`, { method: 'DELETE' }),
};

/** Model versions, newest first; polls every 1.5 s while one is queued or training. */
export function useModelVersions() {
  return useQuery({
    queryKey: MODELS_KEY,
    queryFn: ({ signal }) => api<{ versions: ModelVersionView[] }>('/api/classify/models', { signal }),
    refetchInterval: (query) =>
      query.state.data?.versions.some((v) => v.status === 'queued' || v.status === 'training') ? 1500 : false,
  });
}

export function useModelVersion(version: number) {
  return useQuery({
    queryKey: [...MODELS_KEY, version],
    queryFn: ({ signal }) => api<ModelVersionView>(`/api/classify/models/${version}`, { signal }),
    enabled: Number.isInteger(version) && version > 0,
    refetchInterval: (query) =>
      query.state.data?.status === 'queued' || query.state.data?.status === 'training' ? 1500 : false,
  });
}

/** `version` against `against` (the active version when null). */
export function useComparison(version: number, against: number | null) {
  return useQuery({
    queryKey: [...MODELS_KEY, version, 'compare', against],
    queryFn: ({ signal }) =>
      api<ModelComparison>(`/api/classify/models/${version}/compare`, { query: { against }, signal }),
    enabled: Number.isInteger(version) && version > 0,
  });
}

export function useModelWrite() {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: MODELS_KEY });
  return {
    train: useMutation({
      mutationFn: (body: TrainRequest) =>
        api<{ version: number; examples: number; categories: number }>('/api/classify/models', {
          method: 'POST',
          body,
        }),
      onSuccess: done,
    }),
    activate: useMutation({
      mutationFn: (version: number) =>
        api<{ version: number; previous: number | null }>(`/api/classify/models/${version}/activate`, {
          method: 'POST',
        }),
      onSuccess: () => {
        void client.invalidateQueries({ queryKey: ['classify', 'queue'] });
        return done();
      },
    }),
  };
}
