import type { PreviewRequest, PreviewResponse } from './content-admin.schema.js';
import type { RegionCatalog } from './region-catalog.js';
import { renderMarkdown } from './render-markdown.js';
import { resolvePlaceholders } from './resolve-placeholders.js';

/**
 * The editor's live preview: the site's own renderer and sanitiser, and prices resolved for the chosen region (the
 * default region when none or an unknown one is named), exactly as a reader of that region would see them.
 */
export function previewMarkdown(catalog: RegionCatalog, input: PreviewRequest): PreviewResponse {
  const region = (input.region && catalog.byCode(input.region)) || catalog.defaultRegion;
  const rendered = renderMarkdown(input.markdown);
  return {
    html: resolvePlaceholders(rendered.html, catalog.prices, region.currency, input.locale),
    toc: rendered.toc,
  };
}
