// Typeahead island: turns each search box into a WAI-ARIA combobox (editable, list autocomplete) that suggests
// queries and articles as the reader types. Without this script the box still submits to the results page.
// Every visible string comes from the server-rendered `data-typeahead` attribute, already localised.

interface Strings {
  label: string;
  queries: string;
  articles: string;
  none: string;
  /** "No suggestions — search for “{{query}}”": the one option left when nothing is suggested. */
  noneSearch?: string;
  /** Announcement per plural category ("one", "few", "other"...), with {{n}} for the number. */
  count: Record<string, string>;
}

interface Suggest {
  queries: { text: string }[];
  articles: { slug: string; title: string; url: string }[];
  /** The server's id for this answer: a click names it, never the typed text. */
  searchId: string | null;
}

interface Option {
  el: HTMLElement;
  /** 'search': submit what was typed (offered when nothing is suggested). */
  kind: 'query' | 'article' | 'search';
  text: string;
  slug?: string;
  url?: string;
  position: number;
}

const DEBOUNCE_MS = 120;

function post(url: string, body: unknown): void {
  // keepalive lets the request finish while the browser navigates to the article.
  fetch(url, {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

function el(tag: string, attrs: Record<string, string>, text?: string): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function enhance(form: HTMLFormElement, locale: string): void {
  const input = form.querySelector<HTMLInputElement>('input[data-search-input]');
  const raw = form.dataset.typeahead;
  if (!input || !raw) return;
  const strings = JSON.parse(raw) as Strings;
  const id = input.id;
  const listbox = el('div', {
    id: `${id}-listbox`,
    role: 'listbox',
    class: 'typeahead-list',
    'aria-label': strings.label,
  });
  listbox.hidden = true;
  const status = el('div', {
    role: 'status',
    'aria-live': 'polite',
    class: 'visually-hidden',
    'data-typeahead-status': '',
  });
  form.append(listbox, status);
  form.classList.add('typeahead');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  const plural = new Intl.PluralRules(locale);
  let options: Option[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;
  let answerId: string | null = null;
  // What the reader typed for the answer on screen (the "search for …" option repeats it).
  let typed = '';

  const setActive = (index: number) => {
    options[active]?.el.setAttribute('aria-selected', 'false');
    active = index;
    const option = options[index];
    if (option) {
      option.el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', option.el.id);
      option.el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  const close = () => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };

  const choose = (option: Option) => {
    if (option.kind === 'search') {
      close();
      form.requestSubmit();
      return;
    }
    if (option.kind === 'query') {
      input.value = option.text;
      close();
      form.requestSubmit();
      return;
    }
    if (answerId) post('/api/search/clicks', { locale, slug: option.slug, searchId: answerId });
    close();
    window.location.assign(option.url!);
  };

  const render = (data: Suggest) => {
    answerId = data.searchId;
    listbox.replaceChildren();
    options = [];
    active = -1;
    const group = (
      title: string,
      key: string,
      items: { text: string; kind: Option['kind']; slug?: string; url?: string }[],
    ) => {
      if (items.length === 0) return;
      const heading = el('div', { id: `${id}-${key}`, role: 'presentation', class: 'typeahead-heading' }, title);
      const box = el('div', { role: 'group', 'aria-labelledby': heading.id, 'data-typeahead-group': key });
      box.append(heading);
      items.forEach((item, i) => {
        const option = el(
          'div',
          {
            id: `${id}-${key}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            class: 'typeahead-option',
            'data-kind': item.kind,
          },
          item.text,
        );
        const entry: Option = { el: option, kind: item.kind, text: item.text, position: i + 1 };
        if (item.slug) {
          entry.slug = item.slug;
          entry.url = item.url;
          option.dataset.slug = item.slug;
        }
        // mousedown keeps the focus in the box, as the pattern requires.
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => choose(entry));
        options.push(entry);
        box.append(option);
      });
      listbox.append(box);
    };
    group(
      strings.queries,
      'q',
      data.queries.map((q) => ({ text: q.text, kind: 'query' })),
    );
    group(
      strings.articles,
      'a',
      data.articles.map((a) => ({ text: a.title, kind: 'article', slug: a.slug, url: a.url })),
    );
    const n = options.length;
    // Nothing to suggest: the box stays open with one way forward (search for what was typed) instead of vanishing
    // under the reader's fingers, which reads as broken.
    if (n === 0 && typed && strings.noneSearch) {
      group(strings.label, 's', [{ text: strings.noneSearch.replace('{{query}}', typed), kind: 'search' }]);
    }
    const shown = options.length;
    listbox.hidden = shown === 0;
    input.setAttribute('aria-expanded', String(shown > 0));
    status.textContent =
      n === 0
        ? (strings.noneSearch?.replace('{{query}}', typed) ?? strings.none)
        : (strings.count[plural.select(n)] ?? strings.count.other ?? '').replace('{{n}}', String(n));
  };

  const fetchSuggestions = () => {
    const q = input.value.trim();
    typed = q;
    inflight?.abort();
    if (q.length === 0) {
      close();
      status.textContent = '';
      return;
    }
    const controller = new AbortController();
    inflight = controller;
    fetch(`/api/search/suggest?locale=${encodeURIComponent(locale)}&q=${encodeURIComponent(q)}`, {
      signal: controller.signal,
      headers: { accept: 'application/json' },
    })
      .then((res) => (res.ok ? (res.json() as Promise<Suggest>) : undefined))
      .then((data) => {
        // A response to an older keystroke never replaces a newer one.
        if (data && inflight === controller && document.activeElement === input) render(data);
      })
      .catch(() => undefined);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden;
    const n = options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        if (n > 0) {
          listbox.hidden = false;
          input.setAttribute('aria-expanded', 'true');
        } else fetchSuggestions();
        if (n === 0) return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(options[active]!);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        close();
      } else if (input.value) {
        event.preventDefault();
        input.value = '';
      }
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

function reportResultClicks(locale: string): void {
  const log = document.querySelector<HTMLElement>('[data-search-log]');
  const searchId = log?.dataset.searchId;
  if (!searchId) return;
  document.querySelectorAll<HTMLAnchorElement>('.search-results h2 a').forEach((link) => {
    link.addEventListener('click', () => {
      const slug = link.pathname.split('/').pop();
      post('/api/search/clicks', { locale, slug, searchId });
    });
  });
}

/** Starts the typeahead on every search box, result-click reporting, and the contact-after-search signal. */
export function startTypeahead(): void {
  const locale = document.documentElement.lang || 'en';
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-typeahead]')) enhance(form, locale);
  reportResultClicks(locale);
  if (/^\/[a-z]{2}\/contact\/?$/.test(window.location.pathname)) {
    try {
      if (!sessionStorage.getItem('al-contact')) {
        sessionStorage.setItem('al-contact', '1');
        post('/api/search/contacts', { locale });
      }
    } catch {
      // Storage can be disabled; the signal is best-effort.
    }
  }
}
