import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { RegionsResponse } from './contract.js';

export const REGIONS_KEY = ['regions'] as const;

/** Regions with currencies and themes, and every price key. */
export function useRegions() {
  return useQuery({ queryKey: REGIONS_KEY, queryFn: () => api<RegionsResponse>('/api/regions'), staleTime: 60_000 });
}
