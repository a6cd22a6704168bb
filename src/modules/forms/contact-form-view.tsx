import type { ComponentChildren } from 'preact';
import { type Alternate, Layout, type PageContext } from '../site/index.js';
import type { FieldState } from './form-logic.js';
import type { PublicField, PublicForm } from './present-form.js';

/** What the reader typed so far, as a form post carries it: text, or the chosen options of a checkbox list. */
export type RawValues = Record<string, string | string[]>;

/** Where the reader came from (the query of `/:locale/contact`), carried through the form as hidden inputs. */
export interface ContactContext {
  article?: string | undefined;
  revision?: number | undefined;
  query?: string | undefined;
}

export interface FieldMessage {
  field: string;
  message: string;
}

/** JSON inside a <script> element: `<` escaped so no text in it can close the element. */
function jsonScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The contact page's address for a form, with the reader's context kept. */
export function contactFormHref(locale: string, key: string | null, context: ContactContext): string {
  const params = new URLSearchParams();
  if (key) params.set('form', key);
  if (context.article) params.set('article', context.article);
  if (context.revision) params.set('revision', String(context.revision));
  if (context.query) params.set('q', context.query);
  const query = params.toString();
  return `/${locale}/contact${query ? `?${query}` : ''}`;
}

function ContactLayout({
  ctx,
  title,
  alternates,
  canonical,
  noindex,
  children,
}: {
  ctx: PageContext;
  title: string;
  alternates: Alternate[];
  canonical: string;
  noindex?: boolean;
  children: ComponentChildren;
}) {
  return (
    <Layout ctx={ctx} title={title} alternates={alternates} canonical={canonical} headerSearch noindex={noindex}>
      <div class="contact-page">{children}</div>
    </Layout>
  );
}

function EmailFallback({ ctx, email }: { ctx: PageContext; email: string }) {
  const [before, after] = ctx.t('contact.emailFallback', { email: '\u0000' }).split('\u0000');
  return (
    <p class="contact-email">
      {before}
      <a href={`mailto:${email}`} dir="ltr">
        {email}
      </a>
      {after}
    </p>
  );
}

/** `/:locale/contact`: the forms as large choices, each link keeping the reader's context. */
export function ContactChooserPage(props: {
  ctx: PageContext;
  forms: PublicForm[];
  context: ContactContext;
  unknownForm: boolean;
  supportEmail: string;
  alternates: Alternate[];
  canonical: string;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <ContactLayout ctx={ctx} title={t('contact.title')} alternates={props.alternates} canonical={props.canonical}>
      <h1>{t('contact.title')}</h1>
      {props.unknownForm ? (
        <p class="form-alert" role="status">
          {t('contact.unknownForm')}
        </p>
      ) : null}
      <p class="contact-lead">{props.forms.length > 0 ? t('contact.chooseLead') : t('contact.noForms')}</p>
      {props.forms.length > 0 ? (
        <ul class="contact-choices">
          {props.forms.map((form) => (
            <li key={form.key}>
              <a class="contact-choice" href={contactFormHref(ctx.locale, form.key, props.context)}>
                <span class="contact-choice-title">{form.title}</span>
                {form.description ? <span class="contact-choice-text">{form.description}</span> : null}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <EmailFallback ctx={ctx} email={props.supportEmail} />
    </ContactLayout>
  );
}

export interface ContactFormPageProps {
  ctx: PageContext;
  form: PublicForm;
  values: RawValues;
  states: Record<string, FieldState>;
  context: ContactContext;
  /** The values the server gives the hidden (context) fields, for the island's conditions; never posted. */
  contextValues: Record<string, string>;
  problems: FieldMessage[];
  /** A message about the whole submission (rate limit, challenge), in the reader's language. */
  alert?: string | undefined;
  /** The no-JavaScript path's signed render token (null when the challenge is off). */
  formToken: string | null;
  supportEmail: string;
  alternates: Alternate[];
  canonical: string;
}

function fieldId(name: string): string {
  return `f-${name}`;
}

/** The element an error summary's link and the island's focus go to: the input, or a group's first option. */
function focusTarget(field: PublicField): string {
  return field.type === 'radio' || field.type === 'checkboxes' ? `${fieldId(field.name)}-0` : fieldId(field.name);
}

function RequiredMark({ ctx, required }: { ctx: PageContext; required: boolean }) {
  return (
    <span class="field-required" data-required-mark="" hidden={!required}>
      {` (${ctx.t('contact.required')})`}
    </span>
  );
}

function FieldInput({
  field,
  value,
  visible,
  required,
  describedBy,
  invalid,
  ctx,
}: {
  field: PublicField;
  value: string | string[] | undefined;
  visible: boolean;
  required: boolean;
  describedBy: string | undefined;
  invalid: boolean;
  ctx: PageContext;
}) {
  const id = fieldId(field.name);
  const text = typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
  const common = {
    id,
    name: field.name,
    disabled: !visible,
    'aria-describedby': describedBy,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-required': required ? ('true' as const) : undefined,
  };
  switch (field.type) {
    case 'textarea':
      return <textarea {...common} rows={6} maxLength={field.maxLength} placeholder={field.placeholder} value={text} />;
    case 'select':
      return (
        <select {...common}>
          <option value="">{ctx.t('contact.choose')}</option>
          {field.options.map((option) => (
            <option key={option.value} value={option.value} selected={option.value === text}>
              {option.label}
            </option>
          ))}
        </select>
      );
    case 'number':
      // Text with a numeric keyboard: the value goes back exactly as typed, and the shared validator says what is wrong.
      return <input {...common} type="text" inputMode="decimal" placeholder={field.placeholder} value={text} />;
    case 'date':
      return <input {...common} type="date" value={text} />;
    case 'email':
      return (
        <input
          {...common}
          type="email"
          autocomplete="email"
          maxLength={field.maxLength}
          placeholder={field.placeholder}
          value={text}
        />
      );
    case 'file':
      return <input {...common} type="file" accept={field.accept?.join(',')} />;
    default:
      return <input {...common} type="text" maxLength={field.maxLength} placeholder={field.placeholder} value={text} />;
  }
}

function FormFieldView({
  ctx,
  field,
  state,
  value,
  problem,
}: {
  ctx: PageContext;
  field: PublicField;
  state: FieldState;
  value: string | string[] | undefined;
  problem: string | undefined;
}) {
  const id = fieldId(field.name);
  const helpId = field.help ? `${id}-help` : undefined;
  const errorId = `${id}-error`;
  const describedBy = [helpId, problem ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const help = helpId ? (
    <p class="field-help" id={helpId}>
      {field.help}
    </p>
  ) : null;
  const error = (
    <p class="field-error" id={errorId} data-field-error="" hidden={!problem}>
      {problem ?? ''}
    </p>
  );
  const wrapper = (children: ComponentChildren, extraClass = '') => (
    <div
      class={`form-field form-field-${field.type}${extraClass}${problem ? ' has-error' : ''}`}
      data-field={field.name}
      data-type={field.type}
      hidden={!state.visible}
    >
      {children}
    </div>
  );
  if (field.type === 'notice') {
    return wrapper(
      <div class={`notice-box notice-${field.tone ?? 'info'}`}>
        <p class="notice-title">{field.label}</p>
        {field.help ? <p class="notice-text">{field.help}</p> : null}
      </div>,
    );
  }
  if (field.type === 'radio' || field.type === 'checkboxes') {
    const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return wrapper(
      <fieldset
        class="field-group"
        disabled={!state.visible}
        aria-describedby={describedBy}
        aria-invalid={problem ? 'true' : undefined}
      >
        <legend class="field-label">
          {field.label}
          <RequiredMark ctx={ctx} required={state.required} />
          {field.role === 'category' ? (
            <span class="field-suggested" data-suggested-mark="" hidden>
              {ctx.t('contact.suggested')}
            </span>
          ) : null}
        </legend>
        {help}
        {error}
        <div class="field-options">
          {field.options.map((option, i) => (
            <label class="field-option" key={option.value} for={`${id}-${i}`}>
              <input
                id={`${id}-${i}`}
                type={field.type === 'radio' ? 'radio' : 'checkbox'}
                name={field.name}
                value={option.value}
                checked={chosen.includes(option.value)}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>,
    );
  }
  return wrapper(
    <>
      <label class="field-label" for={id}>
        {field.label}
        <RequiredMark ctx={ctx} required={state.required} />
        {field.role === 'category' ? (
          <span class="field-suggested" data-suggested-mark="" hidden>
            {ctx.t('contact.suggested')}
          </span>
        ) : null}
      </label>
      {help}
      {error}
      <FieldInput
        ctx={ctx}
        field={field}
        value={value}
        visible={state.visible}
        required={state.required}
        describedBy={describedBy}
        invalid={Boolean(problem)}
      />
    </>,
  );
}

/** The strings the island needs, in the reader's language (plural forms per the locale's categories). */
function islandStrings(ctx: PageContext, supportEmail: string): Record<string, unknown> {
  const { t } = ctx;
  const categories = new Intl.PluralRules(ctx.locale).resolvedOptions().pluralCategories;
  const plural = (key: string) =>
    Object.fromEntries(
      categories.map((c) => [c, t(`contact.${key}_${c}`, { defaultValue: t(`contact.${key}_other`) })]),
    );
  return {
    appeared: plural('appeared'),
    removed: plural('removed'),
    sending: t('contact.sending'),
    errorsTitle: t('contact.errorsTitle'),
    errorRateLimited: t('contact.errorRateLimited'),
    errorChallenge: t('contact.errorChallenge'),
    errorSpam: t('contact.errorSpam', { email: supportEmail }),
    errorGeneric: t('contact.errorGeneric'),
    answered: t('contact.answered'),
  };
}

/** A form, server-rendered: works without JavaScript (conditional fields revealed by "Update the form"). */
export function ContactFormPage(props: ContactFormPageProps) {
  const { ctx, form } = props;
  const { t, locale } = ctx;
  const hasFile = form.fields.some((f) => f.type === 'file');
  const problemOf = new Map(props.problems.map((p) => [p.field, p.message]));
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  return (
    <ContactLayout ctx={ctx} title={form.title} alternates={props.alternates} canonical={props.canonical}>
      <p class="contact-back">
        <a href={contactFormHref(locale, null, props.context)}>{t('contact.allForms')}</a>
      </p>
      <h1>{form.title}</h1>
      {form.description ? <p class="contact-lead">{form.description}</p> : null}
      {props.problems.length > 0 ? (
        <div class="form-error-summary" id="form-errors" role="alert" tabIndex={-1} autofocus>
          <h2>{t('contact.errorsTitle')}</h2>
          <ul>
            {props.problems.map((problem) => {
              const field = byName.get(problem.field);
              return (
                <li key={problem.field}>
                  <a href={`#${field ? focusTarget(field) : fieldId(problem.field)}`}>
                    {field ? `${field.label}: ` : ''}
                    {problem.message}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {props.alert ? (
        <p class="form-alert" role="alert">
          {props.alert}
        </p>
      ) : null}
      <div class="contact-suggestions" data-suggestions="" hidden>
        <h2 id="contact-suggestions-title">{t('contact.suggestionsTitle')}</h2>
        <ul aria-labelledby="contact-suggestions-title" />
      </div>
      <div class="contact-deflected" data-deflected="" hidden tabIndex={-1}>
        <h2>{t('contact.deflectedTitle')}</h2>
        <p>{t('contact.deflectedBody')}</p>
        <p>
          <a href={`/${locale}`}>{t('contact.home')}</a>
        </p>
      </div>
      <form
        class="contact-form"
        data-form={form.key}
        data-locale={locale}
        method="post"
        action={contactFormHref(locale, form.key, {})}
        enctype={hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded'}
        noValidate
      >
        <script
          type="application/json"
          id="contact-form-definition"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with every `<` escaped (jsonScript)
          dangerouslySetInnerHTML={{ __html: jsonScript(form) }}
        />
        <script
          type="application/json"
          id="contact-form-strings"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with every `<` escaped (jsonScript)
          dangerouslySetInnerHTML={{ __html: jsonScript(islandStrings(ctx, props.supportEmail)) }}
        />
        {props.context.article ? <input type="hidden" name="context.article" value={props.context.article} /> : null}
        {props.context.revision ? (
          <input type="hidden" name="context.revision" value={String(props.context.revision)} />
        ) : null}
        {props.context.query ? <input type="hidden" name="context.query" value={props.context.query} /> : null}
        <input type="hidden" name="locale" value={locale} />
        <input type="hidden" name="context.region" value={ctx.region.code} />
        {props.formToken ? <input type="hidden" name="formToken" value={props.formToken} /> : null}
        {Object.entries(props.contextValues).map(([name, value]) => (
          <input key={name} type="hidden" data-context-field={name} value={value} />
        ))}
        {form.fields
          .filter((field) => field.type !== 'hidden')
          .map((field) => (
            <FormFieldView
              key={field.name}
              ctx={ctx}
              field={field}
              state={props.states[field.name] ?? { visible: true, required: field.required }}
              value={props.values[field.name]}
              problem={problemOf.get(field.name)}
            />
          ))}
        <div class="form-honeypot" aria-hidden="true">
          <label for="f-website">{t('contact.honeypot')}</label>
          <input id="f-website" type="text" name="website" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <p class="visually-hidden" aria-live="polite" data-announcer="" />
        <p class="form-alert" role="alert" data-form-alert="" hidden />
        <div class="form-actions">
          {/* First in the tree, so Enter in a text box sends the form rather than refreshing it. */}
          <button type="submit" class="button-primary" data-submit="">
            {form.submitLabel ?? t('contact.send')}
          </button>
          <div class="form-refresh" data-refresh="">
            <button
              type="submit"
              class="button-secondary"
              name="_action"
              value="refresh"
              formAction={`${contactFormHref(locale, form.key, {})}&_action=refresh`}
            >
              {t('contact.refresh')}
            </button>
            <p class="field-help">{t('contact.refreshHelp')}</p>
          </div>
        </div>
      </form>
      <EmailFallback ctx={ctx} email={props.supportEmail} />
    </ContactLayout>
  );
}

/** `/:locale/contact/sent`: the ticket reference, big and copyable, and what happens next. */
export function ContactSentPage(props: {
  ctx: PageContext;
  reference: string | null;
  message: string | undefined;
  alternates: Alternate[];
  canonical: string;
}) {
  const { ctx } = props;
  const { t, locale } = ctx;
  return (
    <ContactLayout
      ctx={ctx}
      title={t('contact.sentTitle')}
      alternates={props.alternates}
      canonical={props.canonical}
      noindex
    >
      <div class="contact-sent">
        <h1>{t('contact.sentTitle')}</h1>
        {props.message ? <p class="contact-lead">{props.message}</p> : null}
        {props.reference ? (
          <>
            <p class="sent-reference-label" id="sent-reference-label">
              {t('contact.sentReference')}
            </p>
            <p class="sent-reference">
              <output aria-labelledby="sent-reference-label" dir="ltr" data-reference="">
                {props.reference}
              </output>
              <button
                type="button"
                class="button-secondary"
                data-copy-reference=""
                data-copied={t('contact.sentCopied')}
                hidden
              >
                {t('contact.sentCopy')}
              </button>
            </p>
            <p>{t('contact.sentNext')}</p>
          </>
        ) : (
          <p>{t('contact.sentBadReference')}</p>
        )}
        <ul class="sent-links">
          <li>
            <a href={`/${locale}`}>{t('contact.home')}</a>
          </li>
          <li>
            <a href={`/${locale}/contact`}>{t('contact.anotherRequest')}</a>
          </li>
        </ul>
      </div>
    </ContactLayout>
  );
}
