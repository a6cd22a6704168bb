import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SUPPORTED_LOCALES } from '../../../../src/shared/locales.js';
import { api } from '../../api/client.js';
import type { CreateLocaleRequest, LocaleRow, LocalesResponse, UpdateLocaleRequest } from '../../api/contract.js';

export const LOCALES_KEY = ['locales'] as const;

/** The configured content locales, in their configured order. */
export function useLocales() {
  return useQuery({
    queryKey: LOCALES_KEY,
    queryFn: () => api<LocalesResponse>('/api/locales'),
    select: (data) => [...data.locales].sort((a, b) => a.position - b.position || a.code.localeCompare(b.code)),
  });
}

/** Codes of the content locales to offer in pickers (the built-in six until the list has loaded). */
export function useContentLocaleCodes(): string[] {
  const locales = useLocales();
  return locales.data?.map((l) => l.code) ?? [...SUPPORTED_LOCALES];
}

export type CreateLocaleBody = CreateLocaleRequest;
export type UpdateLocaleBody = UpdateLocaleRequest;

export function useCreateLocale() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLocaleBody) => api<{ locale: LocaleRow }>('/api/locales', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: LOCALES_KEY }),
  });
}

export function useUpdateLocale() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: UpdateLocaleBody & { code: string }) =>
      api<{ locale: LocaleRow }>(`/api/locales/${encodeURIComponent(code)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: LOCALES_KEY }),
  });
}
