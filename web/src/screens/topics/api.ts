import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { MoveTopicRequest, SaveTopicRequest, TopicRow, TopicsResponse } from '../../api/contract.js';

export const TOPICS_KEY = ['content', 'topics'] as const;

export function useTopics() {
  return useQuery({ queryKey: TOPICS_KEY, queryFn: () => api<TopicsResponse>('/api/content/topics') });
}

/** Moves a topic under a parent (null: top level) at an index among its new siblings. */
export function useMoveTopic() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MoveTopicRequest) => api<TopicsResponse>('/api/content/topics/move', { method: 'POST', body }),
    onSuccess: (data) => client.setQueryData(TOPICS_KEY, data),
  });
}

export function useSaveTopic() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveTopicRequest) =>
      api<unknown>(`/api/topics/${encodeURIComponent(body.slug)}`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOPICS_KEY }),
  });
}

export interface TopicNode extends TopicRow {
  depth: number;
  /** Index among its siblings, and how many siblings there are. */
  index: number;
  siblings: number;
}

/** The tree in reading order (depth first, siblings by position then slug), each node with its depth. */
export function flattenTopics(topics: TopicRow[]): TopicNode[] {
  const children = new Map<string | null, TopicRow[]>();
  const known = new Set(topics.map((t) => t.slug));
  for (const topic of topics) {
    const parent = topic.parent && known.has(topic.parent) ? topic.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), topic]);
  }
  const out: TopicNode[] = [];
  const visit = (parent: string | null, depth: number) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug));
    list.forEach((topic, index) => {
      out.push({ ...topic, depth, index, siblings: list.length });
      if (depth < 20) visit(topic.slug, depth + 1);
    });
  };
  visit(null, 0);
  return out;
}

/** The slugs of a topic and everything under it: where it may not be moved. */
export function subtreeOf(topics: TopicRow[], slug: string): Set<string> {
  const out = new Set([slug]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const topic of topics) {
      if (topic.parent && out.has(topic.parent) && !out.has(topic.slug)) {
        out.add(topic.slug);
        grew = true;
      }
    }
  }
  return out;
}

/** A topic's name in the language wanted, else English, else its slug. */
export function topicName(topic: TopicRow, language: string): string {
  return topic.names[language]?.name || topic.names.en?.name || topic.slug;
}
