import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertDelivery } from '../../../../src/modules/insights/alerts.schema.js';
import type {
  Alert,
  AlertSettings,
  ArticleInsightResponse,
  ArticlesResponse,
  DecliningResponse,
  Gap,
  OverviewResponse,
  RevisionsResponse,
  TranslationHealth,
  VocabularyTerm,
} from '../../../../src/modules/insights/insights.schema.js';
import { api, apiUrl } from '../../api/client.js';

export type { AlertDelivery } from '../../../../src/modules/insights/alerts.schema.js';
export type {
  Alert,
  AlertSettings,
  ArticleHealth,
  ArticleInsightResponse,
  ArticlesResponse,
  DecliningArticle,
  Gap,
  OverviewResponse,
  RevisionInsight,
  RevisionsResponse,
  TranslationHealth,
  VocabularyTerm,
} from '../../../../src/modules/insights/insights.schema.js';

/** The insights API's response types the contract names only as Zod objects. */
export interface VocabularyResponse {
  locale: string;
  from: string;
  to: string;
  terms: VocabularyTerm[];
}
export interface GapsResponse {
  from: string;
  to: string;
  gaps: Gap[];
}
export interface TranslationsResponse {
  from: string;
  to: string;
  translations: TranslationHealth[];
}
export interface AlertsResponse {
  alerts: Alert[];
}
export interface AlertDeliveriesResponse {
  deliveries: AlertDelivery[];
}

export type Query = Record<string, string | number | boolean | undefined | null>;

const BASE = '/api/insights';
const KEY = 'insights';

/** Where a list's CSV is (the same rows as the JSON), for a download link. */
export function csvUrl(path: string, query: Query = {}): string {
  return apiUrl(`${BASE}${path}`, { ...query, format: 'csv' });
}

/** `refreshMs`: poll while shown (the editor's panel fills in as votes arrive). */
function useInsight<T>(path: string, query: Query = {}, enabled = true, refreshMs?: number) {
  return useQuery({
    queryKey: [KEY, path, query],
    queryFn: ({ signal }) => api<T>(`${BASE}${path}`, { query, signal }),
    placeholderData: keepPreviousData,
    enabled,
    refetchInterval: refreshMs,
  });
}

const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`;

export const useOverview = (query: Query) => useInsight<OverviewResponse>('/overview', query);
export const useInsightArticles = (query: Query) => useInsight<ArticlesResponse>('/articles', query);
export const useDeclining = (query: Query) => useInsight<DecliningResponse>('/declining', query);
export const useArticleInsight = (slug: string | undefined, query: Query, refreshMs?: number) =>
  useInsight<ArticleInsightResponse>(articlePath(slug ?? ''), query, !!slug, refreshMs);
export const useRevisionInsights = (slug: string | undefined, locale: string | undefined, refreshMs?: number) =>
  useInsight<RevisionsResponse>(`${articlePath(slug ?? '')}/revisions`, { locale }, !!slug, refreshMs);
export const useVocabulary = (query: Query) => useInsight<VocabularyResponse>('/vocabulary', query);
export const useGaps = (query: Query) => useInsight<GapsResponse>('/gaps', query);
export const useTranslationHealth = (query: Query) => useInsight<TranslationsResponse>('/translations', query);
export const useAlerts = (query: Query) => useInsight<AlertsResponse>('/alerts', query);
export const useAlertDeliveries = () => useInsight<AlertDeliveriesResponse>('/alert-deliveries');

export function useAlertSettings() {
  return useQuery({
    queryKey: [KEY, 'alert-settings'],
    queryFn: () => api<AlertSettings>(`${BASE}/alert-settings`),
  });
}

/** Every insights query is stale after a write (an acknowledged alert shows on the overview and the article). */
function useInvalidateInsights() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: [KEY] });
}

export function useAcknowledgeAlert() {
  const invalidate = useInvalidateInsights();
  return useMutation({
    mutationFn: (id: number) => api<unknown>(`${BASE}/alerts/${id}/acknowledge`, { method: 'POST', body: {} }),
    onSuccess: invalidate,
  });
}

export function useSaveAlertSettings() {
  const invalidate = useInvalidateInsights();
  return useMutation({
    mutationFn: (settings: AlertSettings) =>
      api<AlertSettings>(`${BASE}/alert-settings`, { method: 'PUT', body: settings }),
    onSuccess: invalidate,
  });
}

export function useRetryDelivery() {
  const invalidate = useInvalidateInsights();
  return useMutation({
    mutationFn: (id: number) => api<unknown>(`${BASE}/alert-deliveries/${id}/retry`, { method: 'POST', body: {} }),
    onSuccess: invalidate,
  });
}
