// Contact form island: fields appear and disappear as the reader answers (the same condition engine as the server),
// messages beside the fields in the reader's language, suggested articles while they type, a predicted category,
// the proof-of-work challenge solved in the background, and the form sent with fetch. Without it the page works on
// its own: "Update the form" reveals fields by a round trip and the post files the ticket.
import {
  type Answers,
  type AnswerValue,
  type FieldState,
  type FormDefinition,
  type FormField,
  fieldStates,
  normalizeAnswer,
  validateAnswers,
} from '../../forms/form-logic.js';
import { problemMessage } from '../../forms/form-messages.js';
import { type PublicForm, publicFormAsDefinition } from '../../forms/present-form.js';
import { flush, track } from './track.js';

interface Strings {
  appeared: Record<string, string>;
  removed: Record<string, string>;
  sending: string;
  errorsTitle: string;
  errorRateLimited: string;
  errorChallenge: string;
  errorSpam: string;
  errorGeneric: string;
  answered: string;
}

interface Suggestion {
  slug: string;
  title: string;
  url: string;
  snippet: string;
  token: string;
  revision?: number;
}

interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

const SUGGEST_DEBOUNCE_MS = 300;
const PREDICT_DEBOUNCE_MS = 700;
const PREDICT_MIN_CHARS = 12;
/** Suggestions shown at once: a few good answers, not a search page inside the form. */
const MAX_SUGGESTIONS = 3;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

function readJson<T>(id: string): T | null {
  const text = document.getElementById(id)?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Solves an ALTCHA (v1, SHA-256) challenge: the number n with SHA-256(salt + n) = challenge. Hashes in batches with
 * Web Crypto, whose promises resolve as tasks, so typing never freezes. Null when it can't (no Web Crypto outside
 * secure contexts): the page's render token then vouches for the reader instead.
 */
async function solve(challenge: Challenge): Promise<string | null> {
  if (!crypto.subtle || challenge.algorithm !== 'SHA-256') return null;
  const encoder = new TextEncoder();
  const batch = 500;
  for (let start = 0; start <= challenge.maxnumber; start += batch) {
    const numbers = Array.from({ length: Math.min(batch, challenge.maxnumber - start + 1) }, (_, i) => start + i);
    const digests = await Promise.all(
      numbers.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge.salt}${n}`))),
    );
    const found = digests.findIndex((digest) => hex(digest) === challenge.challenge);
    if (found >= 0) {
      const { algorithm, salt, signature } = challenge;
      const number = numbers[found];
      return btoa(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature }));
    }
  }
  return null;
}

function enhance(form: HTMLFormElement): void {
  const publicForm = readJson<PublicForm>('contact-form-definition');
  const strings = readJson<Strings>('contact-form-strings');
  if (!publicForm || !strings) return;
  const definition: FormDefinition = publicFormAsDefinition(publicForm);
  const key = form.dataset.form ?? publicForm.key;
  const locale = form.dataset.locale ?? publicForm.locale;
  const plural = new Intl.PluralRules(locale);
  const announcer = form.querySelector<HTMLElement>('[data-announcer]');
  const alertBox = form.querySelector<HTMLElement>('[data-form-alert]');
  const submitButton = form.querySelector<HTMLButtonElement>('[data-submit]');
  const suggestionsBox = document.querySelector<HTMLElement>('[data-suggestions]');
  const deflectedBox = document.querySelector<HTMLElement>('[data-deflected]');
  const article = form.querySelector<HTMLInputElement>('input[name="context.article"]')?.value || undefined;
  const needsChallenge = form.querySelector('input[name="formToken"]') !== null;
  const fields = definition.fields.filter((f) => f.type !== 'hidden');
  const touched = new Set<string>();
  const answeredOnce = new Set<string>();
  const shownErrors = new Set<string>();
  // The states the page shows now (set once the context answers are read, below).
  let states: Record<string, FieldState> = {};

  // Suggestions sit under the text they answer, not above the form: nothing moves while the reader types.
  const typedFields = fields.filter((f) => f.role === 'subject' || f.role === 'description');
  const lastTyped = typedFields.length > 0 ? wrapper(typedFields[typedFields.length - 1]!.name) : null;
  if (suggestionsBox && lastTyped) lastTyped.after(suggestionsBox);

  // The round-trip button is for readers without JavaScript; here the form updates itself.
  for (const el of form.querySelectorAll<HTMLElement>('[data-refresh]')) el.hidden = true;

  function wrapper(name: string): HTMLElement | null {
    return form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
  }

  function controls(name: string): HTMLInputElement[] {
    return Array.from(wrapper(name)?.querySelectorAll<HTMLInputElement>('input, select, textarea') ?? []);
  }

  function rawAnswer(field: FormField): unknown {
    const inputs = controls(field.name);
    switch (field.type) {
      case 'radio':
        return inputs.find((i) => i.checked)?.value;
      case 'checkboxes':
        return inputs.filter((i) => i.checked).map((i) => i.value);
      case 'file': {
        const file = inputs[0]?.files?.[0];
        return file
          ? { filename: file.name, contentType: file.type || 'application/octet-stream', size: file.size }
          : undefined;
      }
      case 'notice':
        return undefined;
      default:
        return inputs[0]?.value;
    }
  }

  // The server fills hidden fields from the reader's context; the page says with what, so conditions agree.
  const contextAnswers: Answers = {};
  for (const input of form.querySelectorAll<HTMLInputElement>('input[data-context-field]')) {
    const field = definition.fields.find((f) => f.name === input.dataset.contextField && f.type === 'hidden');
    const value = field ? normalizeAnswer(field, input.value) : undefined;
    if (field && value !== undefined) contextAnswers[field.name] = value;
  }

  states = fieldStates(definition, readAnswers()).states;

  function readAnswers(): Answers {
    const answers: Answers = { ...contextAnswers };
    for (const field of fields) {
      const value: AnswerValue | undefined = normalizeAnswer(field, rawAnswer(field));
      if (value !== undefined) answers[field.name] = value;
    }
    return answers;
  }

  function announce(text: string): void {
    if (!announcer) return;
    // Cleared first, so the same sentence twice is still read out.
    announcer.textContent = '';
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function countText(templates: Record<string, string>, count: number): string {
    const template = templates[plural.select(count)] ?? templates.other ?? '';
    return template.replace('{{count}}', new Intl.NumberFormat(locale).format(count));
  }

  /** Shows, hides, enables and marks required the fields for the current answers. */
  function apply(changed?: HTMLElement): void {
    const focused = document.activeElement as HTMLElement | null;
    const next = fieldStates(definition, readAnswers()).states;
    let appeared = 0;
    let removed = 0;
    for (const field of fields) {
      const state = next[field.name];
      const box = wrapper(field.name);
      if (!state || !box) continue;
      const before = states[field.name];
      if (before && !before.visible && state.visible) appeared += 1;
      if (before?.visible && !state.visible) removed += 1;
      box.hidden = !state.visible;
      for (const control of box.querySelectorAll<HTMLInputElement | HTMLFieldSetElement>(
        'input, select, textarea, fieldset',
      )) {
        control.disabled = !state.visible;
      }
      const mark = box.querySelector<HTMLElement>('[data-required-mark]');
      if (mark) mark.hidden = !state.required;
      for (const control of box.querySelectorAll<HTMLElement>(
        'input:not([type=radio]):not([type=checkbox]), select, textarea',
      )) {
        if (state.required) control.setAttribute('aria-required', 'true');
        else control.removeAttribute('aria-required');
      }
      if (!state.visible) showError(field.name, undefined);
    }
    states = next;
    if (appeared > 0) announce(countText(strings!.appeared, appeared));
    else if (removed > 0) announce(countText(strings!.removed, removed));
    // A field that disappeared while focused hands focus to the answer that removed it, never further on.
    if (
      focused &&
      focused !== document.body &&
      (focused.closest('[hidden]') || (focused as HTMLInputElement).disabled)
    ) {
      changed?.focus();
    }
  }

  function focusTarget(name: string): HTMLElement | null {
    return wrapper(name)?.querySelector<HTMLElement>('input, select, textarea') ?? null;
  }

  function showError(name: string, message: string | undefined): void {
    const box = wrapper(name);
    const error = box?.querySelector<HTMLElement>('[data-field-error]');
    if (!box || !error) return;
    error.textContent = message ?? '';
    error.hidden = !message;
    box.classList.toggle('has-error', Boolean(message));
    const described = box.querySelector<HTMLElement>('fieldset') ?? focusTarget(name);
    if (!described) return;
    const ids = (described.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== error.id);
    if (message) ids.push(error.id);
    if (ids.length > 0) described.setAttribute('aria-describedby', ids.join(' '));
    else described.removeAttribute('aria-describedby');
    if (message) described.setAttribute('aria-invalid', 'true');
    else described.removeAttribute('aria-invalid');
    if (message) shownErrors.add(name);
    else shownErrors.delete(name);
  }

  function problemsNow(): Map<string, string> {
    const { problems } = validateAnswers(definition, readAnswers());
    return new Map(problems.map((p) => [p.field, problemMessage(p, locale)]));
  }

  function showSummary(problems: { field: string; message: string }[]): void {
    document.getElementById('form-errors')?.remove();
    if (problems.length === 0) return;
    const summary = document.createElement('div');
    summary.className = 'form-error-summary';
    summary.id = 'form-errors';
    summary.setAttribute('role', 'alert');
    summary.tabIndex = -1;
    const title = document.createElement('h2');
    title.textContent = strings!.errorsTitle;
    const list = document.createElement('ul');
    for (const problem of problems) {
      const target = focusTarget(problem.field);
      const label = publicForm!.fields.find((f) => f.name === problem.field)?.label;
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${target?.id ?? ''}`;
      link.textContent = label ? `${label}: ${problem.message}` : problem.message;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        target?.focus();
      });
      item.append(link);
      list.append(item);
    }
    summary.append(title, list);
    form.before(summary);
    summary.focus();
  }

  function showAlert(text: string | undefined): void {
    if (!alertBox) return;
    alertBox.textContent = text ?? '';
    alertBox.hidden = !text;
  }

  const fieldOf = (target: EventTarget | null) => {
    const name = (target as HTMLElement | null)?.closest?.<HTMLElement>('[data-field]')?.dataset.field;
    return name ? definition.fields.find((f) => f.name === name) : undefined;
  };

  function onAnswer(event: Event): void {
    const field = fieldOf(event.target);
    if (!field) return;
    if (event.isTrusted) {
      touched.add(field.name);
      const mark = wrapper(field.name)?.querySelector<HTMLElement>('[data-suggested-mark]');
      if (mark) mark.hidden = true;
    }
    apply(event.target as HTMLElement);
    // A message already shown is updated as the reader corrects the answer.
    if (shownErrors.has(field.name)) showError(field.name, problemsNow().get(field.name));
    if (field.role === 'subject' || field.role === 'description') {
      scheduleSuggestions();
      schedulePrediction();
    }
    startChallenge();
  }

  form.addEventListener('input', onAnswer);
  form.addEventListener('change', (event) => {
    onAnswer(event);
    const field = fieldOf(event.target);
    if (field) stepCompleted(field);
  });
  form.addEventListener('focusout', (event) => {
    const field = fieldOf(event.target);
    if (!field || !touched.has(field.name)) return;
    // Leaving a group's option for another of the same group is not leaving the question.
    const next = (event as FocusEvent).relatedTarget as HTMLElement | null;
    if (next && wrapper(field.name)?.contains(next)) return;
    // Going to the send button: its click validates everything, and a message appearing now would move the button
    // from under the pointer before the click lands.
    if (next?.matches?.('button[type="submit"]')) return;
    stepCompleted(field);
    // A message appearing while a pointer is pressed would move what it pressed from under it before the click
    // lands (the next question sits below the message): show it once the pointer is released.
    if (pointerDown) pendingErrors.add(field.name);
    else showError(field.name, problemsNow().get(field.name));
  });

  let pointerDown = false;
  const pendingErrors = new Set<string>();
  document.addEventListener('pointerdown', () => {
    pointerDown = true;
  });
  const release = () => {
    pointerDown = false;
    if (pendingErrors.size === 0) return;
    // After the click that follows this pointerup has been dispatched.
    setTimeout(() => {
      for (const name of pendingErrors) showError(name, problemsNow().get(name));
      pendingErrors.clear();
    }, 0);
  };
  document.addEventListener('pointerup', release);
  document.addEventListener('pointercancel', release);

  function stepCompleted(field: FormField): void {
    if (answeredOnce.has(field.name) || readAnswers()[field.name] === undefined) return;
    answeredOnce.add(field.name);
    const step = Math.min(50, definition.fields.indexOf(field) + 1);
    track('Contact Form Step Completed', { form: key, step, step_name: field.name });
  }

  // --- Suggestions while typing -------------------------------------------------------------------------------
  let suggestTimer: ReturnType<typeof setTimeout> | undefined;
  let suggestSeq = 0;
  let lastQuery = '';
  let shownSlugs = '';

  function typedText(): string {
    const answers = readAnswers();
    return fields
      .filter((f) => f.role === 'subject' || f.role === 'description')
      .map((f) => answers[f.name])
      .filter((v): v is string => typeof v === 'string')
      .join(' ')
      .trim();
  }

  function scheduleSuggestions(): void {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(() => void loadSuggestions(), SUGGEST_DEBOUNCE_MS);
  }

  async function loadSuggestions(): Promise<void> {
    if (!suggestionsBox) return;
    const q = typedText().slice(0, 200);
    const min = CJK.test(q) ? 2 : 3;
    if (q === lastQuery) return;
    lastQuery = q;
    if ([...q].length < min) {
      renderSuggestions([]);
      return;
    }
    const seq = ++suggestSeq;
    try {
      const params = new URLSearchParams({ locale, q });
      const res = await fetch(`/api/forms/${encodeURIComponent(key)}/suggestions?${params}`, {
        headers: { accept: 'application/json' },
      });
      if (!res.ok || seq !== suggestSeq) return;
      const body = (await res.json()) as { suggestions?: Suggestion[] };
      renderSuggestions(body.suggestions ?? []);
    } catch {
      // Suggestions are a help, not a step: a failed request leaves the form as it is.
    }
  }

  function revisionOf(suggestion: Suggestion): number | undefined {
    if (suggestion.revision) return suggestion.revision;
    // The token's first part is its signed payload; reading it is only for the event, the server checks it.
    try {
      const payload = JSON.parse(atob((suggestion.token.split('.')[0] ?? '').replace(/-/g, '+').replace(/_/g, '/')));
      return typeof payload?.revision === 'number'
        ? payload.revision
        : typeof payload?.r === 'number'
          ? payload.r
          : undefined;
    } catch {
      return undefined;
    }
  }

  function renderSuggestions(list: Suggestion[]): void {
    if (!suggestionsBox) return;
    const ul = suggestionsBox.querySelector('ul');
    if (!ul) return;
    ul.replaceChildren();
    list = list.slice(0, MAX_SUGGESTIONS);
    list.forEach((suggestion, index) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = suggestion.url;
      link.textContent = suggestion.title;
      link.addEventListener('click', () => {
        track('Contact Form Suggestion Clicked', { form: key, article_slug: suggestion.slug, position: index + 1 });
        flush(true);
      });
      const snippet = document.createElement('p');
      snippet.textContent = suggestion.snippet;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button-secondary';
      button.textContent = strings!.answered;
      button.addEventListener('click', () => void deflect(suggestion, button));
      item.append(link, snippet, button);
      ul.append(item);
    });
    suggestionsBox.hidden = list.length === 0;
    const slugs = list.map((s) => s.slug).join(',');
    if (list.length > 0 && slugs !== shownSlugs) {
      track('Contact Form Suggestion Shown', {
        form: key,
        article_slugs: list.slice(0, 10).map((s) => s.slug),
        count: list.length,
      });
    }
    shownSlugs = slugs;
  }

  async function deflect(suggestion: Suggestion, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const res = await fetch(`/api/forms/${encodeURIComponent(key)}/deflections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: suggestion.token }),
      });
      if (!res.ok) throw new Error(String(res.status));
    } catch {
      button.disabled = false;
      showAlert(strings!.errorGeneric);
      return;
    }
    const revision = revisionOf(suggestion);
    track('Contact Form Deflected', {
      form: key,
      article_slug: suggestion.slug,
      ...(revision === undefined ? {} : { revision }),
    });
    flush();
    form.hidden = true;
    if (suggestionsBox) suggestionsBox.hidden = true;
    document.getElementById('form-errors')?.remove();
    if (deflectedBox) {
      deflectedBox.hidden = false;
      deflectedBox.focus();
    }
  }

  // --- Live prediction of the category ------------------------------------------------------------------------
  let predictTimer: ReturnType<typeof setTimeout> | undefined;
  let lastPredicted = '';

  function schedulePrediction(): void {
    clearTimeout(predictTimer);
    predictTimer = setTimeout(() => void predict(), PREDICT_DEBOUNCE_MS);
  }

  async function predict(): Promise<void> {
    const text = typedText().slice(0, 2000);
    if ([...text].length < PREDICT_MIN_CHARS || text === lastPredicted) return;
    lastPredicted = text;
    try {
      const res = await fetch(`/api/forms/${encodeURIComponent(key)}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ locale, text }),
      });
      if (!res.ok) return;
      const body = (await res.json()) as { field?: string | null; value?: string | null };
      if (body.field && body.value) preselect(body.field, body.value);
    } catch {
      // A prediction is a convenience; without it the reader chooses.
    }
  }

  /** Pre-selects a predicted option, unless the reader has answered that question themselves. */
  function preselect(name: string, value: string): void {
    if (touched.has(name)) return;
    const inputs = controls(name);
    const select = inputs.find((i) => i.tagName === 'SELECT') as unknown as HTMLSelectElement | undefined;
    if (select) {
      if (!Array.from(select.options).some((o) => o.value === value)) return;
      select.value = value;
    } else {
      const option = inputs.find((i) => i.type === 'radio' && i.value === value);
      if (!option) return;
      option.checked = true;
    }
    const mark = wrapper(name)?.querySelector<HTMLElement>('[data-suggested-mark]');
    if (mark) mark.hidden = false;
    apply();
  }

  // --- The challenge and sending ------------------------------------------------------------------------------
  let solution: Promise<string | null> | undefined;

  function startChallenge(): void {
    if (!needsChallenge || solution) return;
    solution = fetch('/api/forms/challenge', { headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<Challenge>) : null))
      .then((challenge) => (challenge ? solve(challenge) : null))
      .catch(() => null);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    showAlert(undefined);
    apply();
    const problems = problemsNow();
    for (const field of fields) showError(field.name, problems.get(field.name));
    const list = fields
      .filter((f) => problems.has(f.name))
      .map((f) => ({ field: f.name, message: problems.get(f.name)! }));
    showSummary(list);
    if (list.length > 0) return;
    const label = submitButton?.textContent ?? '';
    if (submitButton) {
      submitButton.disabled = true;
      submitButton.textContent = strings!.sending;
    }
    try {
      startChallenge();
      const altcha = needsChallenge ? await solution : null;
      // Used once: the next attempt solves a new challenge.
      solution = undefined;
      const body = new FormData(form);
      body.set('locale', locale);
      if (altcha) body.set('altcha', altcha);
      const res = await fetch(`/api/forms/${encodeURIComponent(key)}/submissions`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body,
      });
      if (res.status === 201) {
        const created = (await res.json()) as { reference: string };
        track('Contact Form Submitted', {
          form: key,
          steps: Math.max(1, answeredOnce.size),
          ...(article ? { article_slug: article } : {}),
        });
        flush(true);
        const query = new URLSearchParams({ ref: created.reference, form: key });
        location.assign(`/${locale}/contact/sent?${query}`);
        return;
      }
      const error = (await res.json().catch(() => null)) as {
        error?: { code?: string; details?: { field?: string; message: string }[] };
      } | null;
      const details = (error?.error?.details ?? []).filter((d): d is { field: string; message: string } =>
        Boolean(d.field && wrapper(d.field)),
      );
      if (res.status === 400 && details.length > 0) {
        for (const detail of details) showError(detail.field, detail.message);
        showSummary(details);
      } else if (res.status === 429) showAlert(strings!.errorRateLimited);
      else if (error?.error?.code === 'FORM_CHALLENGE_FAILED') showAlert(strings!.errorChallenge);
      else if (error?.error?.code === 'FORM_SPAM_SUSPECTED') showAlert(strings!.errorSpam);
      else showAlert(strings!.errorGeneric);
    } catch {
      showAlert(strings!.errorGeneric);
    } finally {
      if (submitButton) {
        submitButton.disabled = false;
        submitButton.textContent = label;
      }
    }
  }

  track('Contact Form Viewed', { form: key, ...(article ? { article_slug: article } : {}) });
  // The summary of a refused post without JavaScript is what the reader reads first.
  document.getElementById('form-errors')?.focus();
  // The island loads after the page (its own chunk): a marker for whoever must know it is in charge (tests).
  form.dataset.ready = 'true';
}

function enhanceConfirmation(): void {
  const button = document.querySelector<HTMLButtonElement>('[data-copy-reference]');
  const reference = document.querySelector<HTMLElement>('[data-reference]')?.textContent?.trim();
  if (!button || !reference || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    void navigator.clipboard.writeText(reference).then(() => {
      button.textContent = button.dataset.copied ?? button.textContent;
    });
  });
}

/** Starts the contact form island on a contact page. */
export function startContactForm(): void {
  const form = document.querySelector<HTMLFormElement>('form.contact-form');
  if (form) enhance(form);
  enhanceConfirmation();
}
