import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { LocalesResponse } from './contract.js';

export const LOCALES_KEY = ['locales'] as const;

/** The configured content locales, in menu order. */
export function useLocales() {
  return useQuery({
    queryKey: LOCALES_KEY,
    queryFn: () => api<LocalesResponse>('/api/locales'),
    staleTime: 60_000,
  });
}

/** Content locales by code (name, direction), with the configured order; empty while loading. */
export function useLocaleMap() {
  const query = useLocales();
  const list = query.data?.locales ?? [];
  const byCode = new Map(list.map((locale) => [locale.code, locale]));
  return {
    list,
    name: (code: string) => byCode.get(code)?.name ?? code,
    dir: (code: string): 'ltr' | 'rtl' => byCode.get(code)?.direction ?? 'ltr',
  };
}
