// Vote island: "Was this article helpful?" without a page reload. The widget is server-rendered forms that work
// on their own; this only posts them as JSON and switches `data-state` (CSS shows the matching pane). Every
// visible string is already in the markup, localised. Article pages are the same for every reader (cached whole),
// so on a page marked `data-vote-load` the island asks the server where this reader's own vote stands.

type State = 'ask' | 'yes' | 'no' | 'done';
const STATES: readonly string[] = ['ask', 'yes', 'no', 'done'];

/** Shows the reader's earlier vote, unless they have started voting meanwhile or the page shows another revision. */
function loadReaderState(section: HTMLElement, acted: () => boolean): void {
  const data = section.dataset;
  const query = new URLSearchParams({ locale: document.documentElement.lang });
  fetch(`/api/articles/${encodeURIComponent(data.slug ?? '')}/vote?${query}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  })
    .then((res) => (res.ok ? (res.json() as Promise<{ state?: unknown; revision?: unknown }>) : null))
    .then((body) => {
      if (!body || acted() || body.revision !== Number(data.revision)) return;
      if (typeof body.state === 'string' && STATES.includes(body.state)) section.dataset.state = body.state;
    })
    // Without an answer the widget simply asks, as it does for a first-time reader.
    .catch(() => undefined);
}

function enhance(section: HTMLElement): void {
  const data = section.dataset;
  const messages = section.querySelectorAll<HTMLElement>('[data-message]');
  let acted = false;
  if (section.hasAttribute('data-vote-load')) loadReaderState(section, () => acted);
  const show = (state: State, message?: 'error' | 'limited' | 'changed') => {
    messages.forEach((m) => {
      m.hidden = m.dataset.message !== message;
    });
    if (message) return;
    section.dataset.state = state;
    // Move focus to where the reader goes next: the thanks message, or after "No" the first reason. Marked
    // explicitly: the first focusable-by-script element of a pane can be the hidden honeypot field.
    section.querySelector<HTMLElement>(`[data-pane="${state}"] [data-vote-focus]`)?.focus();
  };

  section.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    event.preventDefault();
    acted = true;
    const fields = new FormData(form);
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.name) fields.set(submitter.name, submitter.value);
    const helpful = fields.get('helpful') === 'yes';
    const reason = (fields.get('reason') as string | null) || null;
    const comment = ((fields.get('comment') as string | null) ?? '').trim() || null;
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => {
      b.disabled = true;
    });
    fetch('/api/feedback/votes', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        article: data.slug,
        locale: document.documentElement.lang,
        articleLocale: data.articleLocale,
        revision: Number(data.revision),
        helpful,
        reason,
        comment,
        website: (fields.get('website') as string | null) ?? '',
      }),
    })
      .then((res) => {
        if (res.ok) show(helpful ? 'yes' : reason || comment ? 'done' : 'no');
        // 409: a new revision was published since the page was loaded (VOTE_REVISION_NOT_CURRENT).
        else show('ask', res.status === 429 ? 'limited' : res.status === 409 ? 'changed' : 'error');
      })
      .catch(() => show('ask', 'error'))
      .finally(() =>
        buttons.forEach((b) => {
          b.disabled = false;
        }),
      );
  });

  section.addEventListener('click', (event) => {
    if (!(event.target as Element).closest?.('[data-vote-change]')) return;
    event.preventDefault();
    acted = true;
    show('ask');
    section.querySelector<HTMLElement>('[data-pane="ask"] button')?.focus();
  });
}

/** Starts the vote widget on an article page. */
export function startVote(): void {
  document.querySelectorAll<HTMLElement>('section[data-vote]').forEach(enhance);
}
