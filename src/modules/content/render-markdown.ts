import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import sanitizeHtml from 'sanitize-html';

export interface TocEntry {
  level: 2 | 3;
  id: string;
  text: string;
}

export interface RenderedArticle {
  /** Sanitised HTML; region placeholders are still in it, resolved per request. */
  html: string;
  toc: TocEntry[];
  /** The text a reader sees, for snippets and search. */
  plainText: string;
  /** The `##` and `###` heading texts, in order. */
  headings: string[];
}

/** Unicode-aware heading ids: Arabic, Hebrew, Cyrillic and CJK headings keep their letters. */
export function slugifyHeading(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/[\s-]+/gu, '-');
  return slug.length > 0 ? slug.slice(0, 80) : 'section';
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false }).use(anchor, {
  slugify: slugifyHeading,
  level: [2, 3],
  tabIndex: false,
});

/** A path on this server ("/assets/x.png", "images/x.png"), not a URL with a scheme or a host ("//cdn..."). */
function isSameOriginUrl(url: string): boolean {
  return !/^(?:[a-z][a-z0-9+.-]*:|[\\/]{2})/i.test(url.trim());
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'code',
    'pre',
    'blockquote',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    's',
    'kbd',
    'img',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    h2: ['id'],
    h3: ['id'],
    th: ['style'],
    td: ['style'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    ol: ['start'],
  },
  allowedStyles: {
    th: { 'text-align': [/^(left|right|center|start|end)$/] },
    td: { 'text-align': [/^(left|right|center|start|end)$/] },
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:\/\//i.test(href);
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener nofollow' } : attribs };
    },
    // The CSP allows same-origin images only (img-src 'self' data:), and so does the sanitiser: an image hosted
    // elsewhere would tell a third party every reader's address and the page they read. It becomes a link to the
    // image, labelled with its alt text, so the author's content stays and the reader chooses to load it.
    img: (tagName, attribs): sanitizeHtml.Tag =>
      isSameOriginUrl(attribs.src ?? '')
        ? { tagName, attribs: { ...attribs, loading: 'lazy' } }
        : {
            tagName: 'a',
            attribs: { href: attribs.src ?? '', rel: 'noopener nofollow' },
            text: attribs.alt || 'image',
          },
  },
};

/** Renders article Markdown to sanitised HTML with heading anchors and a table of contents. */
export function renderMarkdown(source: string): RenderedArticle {
  const env = {};
  const tokens = md.parse(source, env);
  const toc: TocEntry[] = [];
  const headings: string[] = [];
  const textParts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'inline') textParts.push(token.children?.map((c) => c.content).join('') ?? token.content);
    if (token.type !== 'heading_open') continue;
    const inline = tokens[i + 1];
    const text = inline?.children?.map((c) => c.content).join('') ?? '';
    const level = Number(token.tag.slice(1));
    if (level === 2 || level === 3) {
      headings.push(text);
      const id = token.attrGet('id');
      if (id) toc.push({ level, id: String(id), text });
    }
  }
  const html = wrapTables(sanitizeHtml(md.renderer.render(tokens, md.options, env), SANITIZE));
  return { html, toc, plainText: textParts.join('\n'), headings };
}

/**
 * Puts each table in a box that scrolls sideways on its own, so a wide table never widens the page on a phone.
 * Done after sanitising (the wrapper is ours, not the author's; sanitised text has no literal `<table>`), and
 * focusable so keyboard readers can scroll it too.
 */
function wrapTables(html: string): string {
  return html
    .replaceAll('<table>', '<div class="table-scroll" tabindex="0"><table>')
    .replaceAll('</table>', '</table></div>');
}
