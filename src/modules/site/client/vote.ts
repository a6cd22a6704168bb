// Vote island: "Was this article helpful?" without a page reload. The widget is server-rendered forms that work
// on their own; this only posts them as JSON and switches `data-state` (CSS shows the matching pane). Every
// visible string is already in the markup, localised.

type State = 'ask' | 'yes' | 'no' | 'done';

function enhance(section: HTMLElement): void {
  const data = section.dataset;
  const messages = section.querySelectorAll<HTMLElement>('[data-message]');
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
    show('ask');
    section.querySelector<HTMLElement>('[data-pane="ask"] button')?.focus();
  });
}

/** Starts the vote widget on an article page. */
export function startVote(): void {
  document.querySelectorAll<HTMLElement>('section[data-vote]').forEach(enhance);
}
