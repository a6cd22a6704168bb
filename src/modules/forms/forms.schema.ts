import { z } from 'zod';
import { FORM_LIMITS } from './form-limits.js';
import {
  CHOICE_TYPES,
  CONTEXT_SOURCES,
  type Condition,
  conditionFields,
  FIELD_ROLES,
  FIELD_TYPES,
  type FormDefinition,
} from './form-logic.js';

export { FORM_LIMITS } from './form-limits.js';

const ZLocaleCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a locale code such as en or pt-BR');

function ZTexts(max: number) {
  return z
    .record(ZLocaleCode, z.string().trim().max(max))
    .refine((texts) => Object.keys(texts).length <= FORM_LIMITS.locales, { message: 'too many locales' });
}

export const ZFormKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and hyphens, starting with a letter (at most 40)');

export const ZFieldName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and underscores, starting with a letter (at most 40)');

const ZScalar = z.union([z.string().max(FORM_LIMITS.label), z.number().finite()]);

export const ZCondition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ZCondition).min(1).max(FORM_LIMITS.conditionTerms) }).strict(),
    z.object({ any: z.array(ZCondition).min(1).max(FORM_LIMITS.conditionTerms) }).strict(),
    z.object({ not: ZCondition }).strict(),
    z.object({ field: ZFieldName, op: z.literal('equals'), value: ZScalar }).strict(),
    z.object({ field: ZFieldName, op: z.literal('oneOf'), value: z.array(ZScalar).min(1).max(100) }).strict(),
    z
      .object({ field: ZFieldName, op: z.literal('contains'), value: z.string().min(1).max(FORM_LIMITS.label) })
      .strict(),
    z.object({ field: ZFieldName, op: z.literal('empty') }).strict(),
    z.object({ field: ZFieldName, op: z.enum(['gt', 'lt']), value: ZScalar }).strict(),
  ]),
) as z.ZodType<Condition>;

export const ZFieldOption = z
  .object({
    value: z
      .string()
      .min(1)
      .max(FORM_LIMITS.optionValue)
      .regex(/^[^\s].*$/, 'must not start with a space'),
    label: ZTexts(FORM_LIMITS.label),
    category: z.string().min(1).max(200).optional(),
  })
  .strict();

export const ZFormField = z
  .object({
    name: ZFieldName,
    type: z.enum(FIELD_TYPES),
    label: ZTexts(FORM_LIMITS.label),
    help: ZTexts(FORM_LIMITS.help).optional(),
    placeholder: ZTexts(FORM_LIMITS.label).optional(),
    required: z.boolean().optional(),
    options: z.array(ZFieldOption).max(FORM_LIMITS.options).optional(),
    showIf: ZCondition.optional(),
    hideIf: ZCondition.optional(),
    requireIf: ZCondition.optional(),
    role: z.enum(FIELD_ROLES).optional(),
    context: z.enum(CONTEXT_SOURCES).optional(),
    maxLength: z.number().int().min(1).max(FORM_LIMITS.answerText).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    maxBytes: z.number().int().min(1).max(FORM_LIMITS.fileBytes).optional(),
    accept: z
      .array(z.string().regex(/^(\.[a-z0-9]{1,10}|[a-z]+\/(\*|[a-z0-9.+-]+))$/i, 'a type such as image/* or .pdf'))
      .max(30)
      .optional(),
    tone: z.enum(['info', 'warning', 'danger']).optional(),
  })
  .strict();

function depth(condition: Condition): number {
  if ('all' in condition) return 1 + Math.max(0, ...condition.all.map(depth));
  if ('any' in condition) return 1 + Math.max(0, ...condition.any.map(depth));
  if ('not' in condition) return 1 + depth(condition.not);
  return 1;
}

/**
 * A form definition as the builder saves it, with the checks a form needs to make sense: unique field names,
 * conditions only on earlier answerable fields, options on choice fields, texts in the default locale, one field
 * per role at most, a subject or a description.
 */
export const ZFormDefinition = z
  .object({
    defaultLocale: ZLocaleCode,
    title: ZTexts(FORM_LIMITS.title),
    description: ZTexts(FORM_LIMITS.description).optional(),
    submitLabel: ZTexts(FORM_LIMITS.label).optional(),
    confirmation: ZTexts(FORM_LIMITS.description).optional(),
    fields: z.array(ZFormField).min(1).max(FORM_LIMITS.fields),
  })
  .strict()
  .superRefine((form, issue) => {
    const need = (text: Record<string, string> | undefined, path: (string | number)[], what: string) => {
      if (!text?.[form.defaultLocale]?.trim()) {
        issue.addIssue({ code: 'custom', path, message: `${what} needs a text in ${form.defaultLocale}` });
      }
    };
    need(form.title, ['title'], 'the title');
    const seen = new Map<string, (typeof form.fields)[number]>();
    const roles = new Set<string>();
    form.fields.forEach((field, index) => {
      const at = ['fields', index];
      if (seen.has(field.name)) issue.addIssue({ code: 'custom', path: [...at, 'name'], message: 'used twice' });
      if (field.type !== 'hidden') need(field.label, [...at, 'label'], `field "${field.name}"`);
      const choice = CHOICE_TYPES.includes(field.type);
      if (choice && (field.options ?? []).length === 0) {
        issue.addIssue({ code: 'custom', path: [...at, 'options'], message: 'a choice field needs options' });
      }
      if (!choice && field.options && field.options.length > 0) {
        issue.addIssue({ code: 'custom', path: [...at, 'options'], message: 'only choice fields have options' });
      }
      const values = new Set<string>();
      (field.options ?? []).forEach((option, o) => {
        if (values.has(option.value)) {
          issue.addIssue({ code: 'custom', path: [...at, 'options', o, 'value'], message: 'used twice' });
        }
        values.add(option.value);
        need(option.label, [...at, 'options', o, 'label'], `option "${option.value}"`);
      });
      if (field.type === 'hidden' && !field.context) {
        issue.addIssue({ code: 'custom', path: [...at, 'context'], message: 'a hidden field needs a context source' });
      }
      if (field.type !== 'hidden' && field.context) {
        issue.addIssue({ code: 'custom', path: [...at, 'context'], message: 'only hidden fields have a context' });
      }
      if (field.role) {
        if (roles.has(field.role)) {
          issue.addIssue({ code: 'custom', path: [...at, 'role'], message: `only one field may be the ${field.role}` });
        }
        roles.add(field.role);
        const fits =
          (field.role === 'subject' && field.type === 'text') ||
          (field.role === 'description' && (field.type === 'textarea' || field.type === 'text')) ||
          (field.role === 'email' && field.type === 'email') ||
          (field.role === 'category' && (field.type === 'select' || field.type === 'radio'));
        if (!fits)
          issue.addIssue({
            code: 'custom',
            path: [...at, 'role'],
            message: `a ${field.type} field can't be the ${field.role}`,
          });
      }
      if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
        issue.addIssue({ code: 'custom', path: [...at, 'min'], message: 'min is above max' });
      }
      for (const key of ['showIf', 'hideIf', 'requireIf'] as const) {
        const condition = field[key];
        if (!condition) continue;
        if (depth(condition) > FORM_LIMITS.conditionDepth) {
          issue.addIssue({ code: 'custom', path: [...at, key], message: 'nested too deeply' });
        }
        for (const name of conditionFields(condition)) {
          const target = seen.get(name);
          if (!target) {
            issue.addIssue({
              code: 'custom',
              path: [...at, key],
              message: `"${name}" is not an earlier field (a condition reads only the answers before it)`,
            });
          } else if (target.type === 'notice' || target.type === 'file') {
            issue.addIssue({ code: 'custom', path: [...at, key], message: `"${name}" has no answer to compare` });
          } else if (target.type === 'hidden') {
            // The server fills context fields; the reader's browser never sees their values, so it could not agree.
            issue.addIssue({
              code: 'custom',
              path: [...at, key],
              message: `"${name}" is filled by the server from the reader's context; a condition can't read it`,
            });
          }
        }
      }
      seen.set(field.name, field);
    });
    if (!roles.has('subject') && !roles.has('description')) {
      issue.addIssue({ code: 'custom', path: ['fields'], message: 'one field must be the subject or the description' });
    }
  }) satisfies z.ZodType<FormDefinition>;

// ---------------------------------------------------------------------------------------------------------------
// The API's shapes (a contract: GET /api/forms, GET/PUT /api/forms/:key, GET /api/forms/:key?locale=, submissions).

/** The public definition of a form in one locale: texts resolved, conditions kept for the island. */
export const ZPublicField = z.object({
  name: z.string(),
  type: z.enum(FIELD_TYPES),
  label: z.string(),
  help: z.string().optional(),
  placeholder: z.string().optional(),
  required: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
  showIf: ZCondition.optional(),
  hideIf: ZCondition.optional(),
  requireIf: ZCondition.optional(),
  role: z.enum(FIELD_ROLES).optional(),
  maxLength: z.number().int().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxBytes: z.number().int().optional(),
  accept: z.array(z.string()).optional(),
  tone: z.enum(['info', 'warning', 'danger']).optional(),
});

export const ZPublicForm = z.object({
  key: z.string(),
  version: z.number().int(),
  locale: z.string(),
  dir: z.enum(['ltr', 'rtl']),
  title: z.string(),
  description: z.string().optional(),
  submitLabel: z.string().optional(),
  fields: z.array(ZPublicField),
});

/** One form in the operator's list. */
export const ZFormSummary = z.object({
  key: z.string(),
  version: z.number().int(),
  enabled: z.boolean(),
  position: z.number().int(),
  title: z.record(z.string(), z.string()),
  defaultLocale: z.string(),
  fields: z.number().int(),
  /** Locales every text of the form has (the builder's "translated" badges). */
  completeLocales: z.array(z.string()),
  submissions30d: z.number().int(),
  updatedAt: z.string(),
});

export const ZFormDetail = z.object({
  key: z.string(),
  version: z.number().int(),
  enabled: z.boolean(),
  position: z.number().int(),
  definition: ZFormDefinition,
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string(), createdBy: z.string().nullable() })),
  updatedAt: z.string(),
});

export const ZCreateFormRequest = z
  .object({
    key: ZFormKey,
    definition: ZFormDefinition,
    enabled: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

export const ZUpdateFormRequest = z
  .object({
    definition: ZFormDefinition.optional(),
    enabled: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

/** Where the reader came from; filled into the form's hidden context fields by the server. */
export const ZSubmissionContext = z
  .object({
    article: z.string().max(120).optional(),
    revision: z.number().int().min(1).max(1_000_000).optional(),
    region: z.string().max(40).optional(),
    query: z.string().max(200).optional(),
  })
  .strip();

/** A submission as JSON (a form post carries the same names: answers as fields, `context.*`, `altcha`, `website`). */
export const ZSubmissionRequest = z.object({
  locale: ZLocaleCode,
  answers: z.record(z.string().max(FORM_LIMITS.fieldName), z.unknown()),
  context: ZSubmissionContext.optional(),
  /** The proof-of-work solution (ALTCHA payload, base64 JSON). */
  altcha: z.string().max(4000).optional(),
  /** The no-JavaScript path's signed render token (the page was shown long enough ago). */
  formToken: z.string().max(500).optional(),
  /** The honeypot: a field people never see; anything in it marks a bot. */
  website: z.string().max(2000).optional(),
});

export const ZSubmissionCreated = z.object({
  reference: z.string(),
  locale: z.string(),
  /** The form's confirmation text in the reader's locale. */
  message: z.string(),
});

export const ZFieldProblem = z.object({ field: z.string(), message: z.string() });
