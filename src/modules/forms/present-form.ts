import type { z } from 'zod';
import { type FormField, localized } from './form-logic.js';
import type { LoadedForm } from './forms.queries.js';
import type { ZPublicField, ZPublicForm } from './forms.schema.js';

export type PublicForm = z.infer<typeof ZPublicForm>;
export type PublicField = z.infer<typeof ZPublicField>;

/** How the reader's locale is read: its direction and where missing texts come from. */
export interface LocaleReading {
  direction(code: string): 'ltr' | 'rtl';
  fallbackChain(code: string): string[];
}

/**
 * A form as one locale's reader sees it (GET /api/forms/:key?locale=, the page, the island): every text resolved
 * along the locale's fallback chain, conditions kept so the browser can evaluate them, nothing operator-only
 * (option categories and hidden fields' context sources stay on the server).
 */
export function presentPublicForm(form: LoadedForm, locale: string, locales: LocaleReading): PublicForm {
  const def = form.definition;
  const fallbacks = locales.fallbackChain(locale);
  const text = (value: Record<string, string> | undefined) => localized(value, locale, def.defaultLocale, fallbacks);
  const optional = (value: Record<string, string> | undefined) => {
    const resolved = text(value);
    return resolved === '' ? undefined : resolved;
  };
  return {
    key: form.key,
    version: form.version,
    locale,
    dir: locales.direction(locale),
    title: text(def.title),
    description: optional(def.description),
    submitLabel: optional(def.submitLabel),
    fields: def.fields.map((field: FormField): PublicField => {
      const out: PublicField = {
        name: field.name,
        type: field.type,
        label: text(field.label),
        required: field.required === true,
        options: (field.options ?? []).map((option) => ({ value: option.value, label: text(option.label) })),
      };
      const help = optional(field.help);
      if (help !== undefined) out.help = help;
      const placeholder = optional(field.placeholder);
      if (placeholder !== undefined) out.placeholder = placeholder;
      if (field.showIf) out.showIf = field.showIf;
      if (field.hideIf) out.hideIf = field.hideIf;
      if (field.requireIf) out.requireIf = field.requireIf;
      if (field.role) out.role = field.role;
      if (field.maxLength !== undefined) out.maxLength = field.maxLength;
      if (field.min !== undefined) out.min = field.min;
      if (field.max !== undefined) out.max = field.max;
      if (field.maxBytes !== undefined) out.maxBytes = field.maxBytes;
      if (field.accept) out.accept = field.accept;
      if (field.tone) out.tone = field.tone;
      return out;
    }),
  };
}

/**
 * The definition the browser island evaluates: a public form is a FormDefinition in one locale (texts as that
 * locale's), so form-logic's fieldStates and validateAnswers run on it exactly as on the server's definition.
 */
export function publicFormAsDefinition(form: PublicForm): import('./form-logic.js').FormDefinition {
  const one = (value: string | undefined) => (value === undefined ? undefined : { [form.locale]: value });
  return {
    defaultLocale: form.locale,
    title: { [form.locale]: form.title },
    fields: form.fields.map((field) => ({
      ...field,
      label: { [form.locale]: field.label },
      help: one(field.help),
      placeholder: one(field.placeholder),
      options: field.options.map((option) => ({ value: option.value, label: { [form.locale]: option.label } })),
    })),
  };
}
