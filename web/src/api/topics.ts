import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { TopicsResponse } from './contract.js';

export const TOPICS_KEY = ['topics'] as const;

/** The topic tree (flat, with parents), names per locale. */
export function useTopics() {
  return useQuery({
    queryKey: TOPICS_KEY,
    queryFn: () => api<TopicsResponse>('/api/content/topics'),
    staleTime: 60_000,
  });
}
