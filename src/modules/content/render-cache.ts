import { LRUCache } from 'lru-cache';
import { type RenderedArticle, renderMarkdown } from './render-markdown.js';

// Revisions are immutable, so a rendered revision never goes stale; the cache only bounds memory.
const cache = new LRUCache<number, RenderedArticle>({ max: 2_000 });

/** The rendered form of an immutable revision, rendered once per process. */
export function renderRevision(revisionId: number, markdown: string): RenderedArticle {
  let rendered = cache.get(revisionId);
  if (!rendered) {
    rendered = renderMarkdown(markdown);
    cache.set(revisionId, rendered);
  }
  return rendered;
}
