import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import type {
  ArticleDetail,
  ArticleListQuery,
  ArticleListResponse,
  DiffResponse,
  PreviewRequest,
  PreviewResponse,
  RevisionNumberResponse,
  RevisionsResponse,
  RevisionView,
  SaveArticleRequest,
  SaveArticleResponse,
} from './contract.js';

const path = (slug: string, locale: string) =>
  `/api/content/articles/${encodeURIComponent(slug)}/translations/${encodeURIComponent(locale)}`;

/** One page of article rows with per-locale status; keeps the last page on screen while the next loads. */
export function useArticleRows(query: ArticleListQuery) {
  return useQuery({
    queryKey: ['articles', query],
    queryFn: ({ signal }) => api<ArticleListResponse>('/api/content/articles', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** An article with every translation's latest revision (the editor's data). */
export function useArticle(slug: string | undefined) {
  return useQuery({
    queryKey: ['article', slug],
    queryFn: () => api<ArticleDetail>(`/api/content/articles/${encodeURIComponent(slug!)}`),
    enabled: !!slug,
  });
}

export function useRevisions(slug: string | undefined, locale: string) {
  return useQuery({
    queryKey: ['revisions', slug, locale],
    queryFn: () => api<RevisionsResponse>(`${path(slug!, locale)}/revisions`),
    enabled: !!slug,
  });
}

export function useRevision(slug: string, locale: string, number: number | null) {
  return useQuery({
    queryKey: ['revision', slug, locale, number],
    queryFn: () => api<RevisionView>(`${path(slug, locale)}/revisions/${number}`),
    enabled: number !== null,
  });
}

export function useDiff(slug: string, locale: string, from: number | null, to: number | null) {
  return useQuery({
    queryKey: ['diff', slug, locale, from, to],
    queryFn: () => api<DiffResponse>(`${path(slug, locale)}/diff`, { query: { from, to } }),
    enabled: from !== null && to !== null && from !== to,
  });
}

/** Markdown rendered by the site's own renderer and placeholders (for a region). */
export function usePreview(request: PreviewRequest | null) {
  return useQuery({
    queryKey: ['preview', request],
    queryFn: ({ signal }) => api<PreviewResponse>('/api/content/preview', { method: 'POST', body: request, signal }),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Everything that shows an article's state is stale after a write. */
function useInvalidateArticle() {
  const client = useQueryClient();
  return (slug: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['article', slug] }),
      client.invalidateQueries({ queryKey: ['revisions', slug] }),
      client.invalidateQueries({ queryKey: ['articles'] }),
      client.invalidateQueries({ queryKey: ['translation-queue'] }),
      client.invalidateQueries({ queryKey: ['source-diff', slug] }),
    ]);
}

/** Saves a new revision (a draft, or published at once with `publish: true`). */
export function useSaveArticle() {
  const invalidate = useInvalidateArticle();
  return useMutation({
    mutationFn: (body: SaveArticleRequest) => api<SaveArticleResponse>('/api/articles', { method: 'POST', body }),
    onSuccess: (result) => invalidate(result.slug),
  });
}

export function usePublish() {
  const invalidate = useInvalidateArticle();
  return useMutation({
    mutationFn: (v: { slug: string; locale: string; revision?: number }) =>
      api<unknown>(`/api/articles/${encodeURIComponent(v.slug)}/translations/${encodeURIComponent(v.locale)}/publish`, {
        method: 'POST',
        body: v.revision ? { revision: v.revision } : {},
      }),
    onSuccess: (_r, v) => invalidate(v.slug),
  });
}

export function useUnpublish() {
  const invalidate = useInvalidateArticle();
  return useMutation({
    mutationFn: (v: { slug: string; locale: string }) =>
      api<unknown>(
        `/api/articles/${encodeURIComponent(v.slug)}/translations/${encodeURIComponent(v.locale)}/unpublish`,
        { method: 'POST', body: {} },
      ),
    onSuccess: (_r, v) => invalidate(v.slug),
  });
}

/** Restores an old revision as a new one (optionally published). */
export function useRestore() {
  const invalidate = useInvalidateArticle();
  return useMutation({
    mutationFn: (v: { slug: string; locale: string; number: number; publish?: boolean }) =>
      api<RevisionNumberResponse>(`${path(v.slug, v.locale)}/revisions/${v.number}/restore`, {
        method: 'POST',
        body: { publish: v.publish ?? false },
      }),
    onSuccess: (_r, v) => invalidate(v.slug),
  });
}
