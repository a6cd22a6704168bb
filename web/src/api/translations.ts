import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import type { RevisionNumberResponse, SourceDiffResponse, TranslationQueueResponse } from './contract.js';

/** Outdated and missing translations, most-read first (a translator's locales only, by the server). */
export function useTranslationQueue(locale: string | undefined) {
  return useQuery({
    queryKey: ['translation-queue', locale ?? null],
    queryFn: () => api<TranslationQueueResponse>('/api/content/translation-queue', { query: { locale } }),
  });
}

/** What changed in the source since the translation's source revision. */
export function useSourceDiff(slug: string, locale: string, enabled: boolean) {
  return useQuery({
    queryKey: ['source-diff', slug, locale],
    queryFn: () =>
      api<SourceDiffResponse>(`/api/content/source-diff/${encodeURIComponent(slug)}/${encodeURIComponent(locale)}`),
    enabled,
  });
}

/** Marks a translation as current with its source, without changing its text. */
export function useMarkCurrent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { slug: string; locale: string }) =>
      api<RevisionNumberResponse>(
        `/api/content/articles/${encodeURIComponent(v.slug)}/translations/${encodeURIComponent(v.locale)}/mark-current`,
        { method: 'POST', body: {} },
      ),
    onSuccess: (_r, v) =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['article', v.slug] }),
        client.invalidateQueries({ queryKey: ['articles'] }),
        client.invalidateQueries({ queryKey: ['translation-queue'] }),
        client.invalidateQueries({ queryKey: ['source-diff', v.slug] }),
      ]),
  });
}
