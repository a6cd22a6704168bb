import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';

/*
 * The answers of /api/classify/themes, written out here because the server's schema module
 * (src/modules/classify/themes.schema.ts) imports the classify and accounts modules, which would pull every server
 * route into the app's typecheck. Keep in step with ZThemeProposalView and ZThemeRunView.
 */
export interface ThemeProposal {
  id: number;
  kind: 'new' | 'merge' | 'split';
  status: 'open' | 'accepted' | 'merged' | 'dismissed';
  name: string;
  terms: string[];
  category: string | null;
  similarity: number | null;
  items: number;
  share: number;
  coherence: number;
  trend: { lastWeek: number; weeklyBefore: number };
  examples: { itemId: number; text: string; locale: string | null }[];
  itemIds: number[];
  language: string | null;
  result: { category: string | null; labeled: number | null; decidedBy: string; decidedAt: string } | null;
}
export interface ThemeRun {
  id: number;
  status: 'running' | 'ready' | 'failed';
  progress: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
  modelVersion: number | null;
  windowDays: number;
  texts: number;
  capped: boolean;
  k: number;
  noise: number;
  tooFew: number;
  languages: { language: string; texts: number; clustered: boolean; k: number }[];
  seconds: number;
}
export interface ThemesResponse {
  run: ThemeRun | null;
  proposals: ThemeProposal[];
  /** The newest run when newer than `run`: running (polled) or failed. */
  current: ThemeRun | null;
}
export interface TaxonomyCategory {
  slug: string;
  parent: string | null;
  names: Record<string, string>;
  archived: boolean;
}

const KEY = ['themes'] as const;

/** How often the screen asks again while a run is in progress. */
const POLL_MS = 1_000;

/** The latest discovery run and its proposals; read again every second while a run is in progress. */
export function useThemes() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api<ThemesResponse>('/api/classify/themes'),
    refetchInterval: (query) => (query.state.data?.current?.status === 'running' ? POLL_MS : false),
  });
}

/** The taxonomy, for choosing a parent (accept) or a category (merge). */
export function useTaxonomy() {
  return useQuery({
    queryKey: ['taxonomy'],
    queryFn: () => api<{ categories: TaxonomyCategory[] }>('/api/taxonomy'),
  });
}

/** Starts discovery (the server answers at once with the running run); the list then polls until it is done. */
export function useDiscoverThemes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<ThemeRun>('/api/classify/themes/discover', { method: 'POST', body: {} }),
    onSuccess: (run) => {
      client.setQueryData<ThemesResponse>(KEY, (old) => ({ run: null, proposals: [], ...old, current: run }));
      return client.invalidateQueries({ queryKey: KEY });
    },
  });
}

export type ThemeDecision =
  | { action: 'accept'; id: number; body: { name: string; locale: string; parent: string | null; description: string } }
  | { action: 'merge'; id: number; body: { category: string } }
  | { action: 'dismiss'; id: number }
  | { action: 'rename'; id: number; body: { name: string } };

/** Accepts, merges, dismisses or renames a proposal; the list and the taxonomy are read again. */
export function useDecideTheme() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (decision: ThemeDecision) =>
      decision.action === 'rename'
        ? api(`/api/classify/themes/${decision.id}`, { method: 'PATCH', body: decision.body })
        : api(`/api/classify/themes/${decision.id}/${decision.action}`, {
            method: 'POST',
            ...(decision.action === 'dismiss' ? {} : { body: decision.body }),
          }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: KEY }),
        client.invalidateQueries({ queryKey: ['taxonomy'] }),
      ]);
    },
  });
}
