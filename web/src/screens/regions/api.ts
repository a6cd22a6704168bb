import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { RegionRow, RegionsResponse, SavePriceRequest, SaveRegionRequest } from '../../api/contract.js';

export const REGIONS_KEY = ['regions'] as const;

export function useRegions() {
  return useQuery({ queryKey: REGIONS_KEY, queryFn: () => api<RegionsResponse>('/api/regions') });
}

export type RegionTheme = { brand: string; brandContrast: string; accent: string; surface: string };
export type SaveRegionBody = SaveRegionRequest;

export function useSaveRegion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: SaveRegionBody & { code: string }) =>
      api<{ region: RegionRow; created: boolean }>(`/api/regions/${encodeURIComponent(code)}`, {
        method: 'PUT',
        body,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: REGIONS_KEY }),
  });
}

export function useDeleteRegion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api<{ deleted: true }>(`/api/regions/${encodeURIComponent(code)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: REGIONS_KEY }),
  });
}

export function useSavePrice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ key, amounts }: SavePriceRequest & { key: string }) =>
      api<{ price: { key: string; amounts: Record<string, number> } }>(`/api/prices/${encodeURIComponent(key)}`, {
        method: 'PUT',
        body: { amounts },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: REGIONS_KEY }),
  });
}

/**
 * The public site's colours when a region sets none (src/modules/site/styles/site.css `:root`), and its body text
 * colour, which no theme changes: the contrast check measures what readers will actually see.
 */
export const SITE_DEFAULT_THEME: RegionTheme = {
  brand: '#c8232c',
  brandContrast: '#ffffff',
  accent: '#1f6feb',
  surface: '#fff8f6',
};
export const SITE_TEXT_COLOR = '#1d1d1f';

/** A price as the site shows it: the region's currency, formatted for the reader's language. */
export function formatPrice(amount: number, currency: string, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}
