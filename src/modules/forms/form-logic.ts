/**
 * The forms' one condition engine and answer validator, shared by the server and the browser island (bundled by
 * esbuild as is: no imports, no Node APIs, no Zod).
 *
 * Why our own rather than JsonLogic or json-rules-engine: conditions here are a closed, typed tree (all / any / not
 * over six comparisons of an earlier field) that the builder edits and Zod validates before a form is saved, so
 * nothing can be evaluated that the builder could not show. JsonLogic's operators coerce types like JavaScript's
 * `==` ("0" == false, [] == ""), which would make a checkbox list, a number typed as text and an empty field compare
 * differently from what an editor reads; json-rules-engine is asynchronous and ~30 KB for the browser. This file is
 * ~250 lines with property tests (form-logic.test.ts) and a browser-against-server property test in Chromium.
 */

/** Texts per locale code ("en", "ar", "pt-BR"...): shown in the reader's locale, else along its fallback chain. */
export type LocalizedText = Record<string, string>;

export const FIELD_TYPES = [
  'text',
  'textarea',
  'email',
  'select',
  'radio',
  'checkboxes',
  'number',
  'date',
  'file',
  'hidden',
  'notice',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types whose answer is one of the options. */
export const CHOICE_TYPES: readonly FieldType[] = ['select', 'radio', 'checkboxes'];

/** What a hidden field is filled with, server-side, from where the reader came. */
export const CONTEXT_SOURCES = ['article', 'revision', 'locale', 'region', 'query'] as const;
export type ContextSource = (typeof CONTEXT_SOURCES)[number];

/** What a field means for the ticket: its subject, its description (body), the requester's email, a category. */
export const FIELD_ROLES = ['subject', 'description', 'email', 'category'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

export const COMPARISONS = ['equals', 'oneOf', 'contains', 'empty', 'gt', 'lt'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** A condition on earlier fields: a comparison, or all / any / not of conditions, nested. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: 'equals'; value: string | number }
  | { field: string; op: 'oneOf'; value: (string | number)[] }
  | { field: string; op: 'contains'; value: string }
  | { field: string; op: 'empty' }
  | { field: string; op: 'gt' | 'lt'; value: string | number };

export interface FieldOption {
  value: string;
  label: LocalizedText;
  /** A taxonomy category slug: the classifier's prediction of the typed text pre-selects this option. */
  category?: string | undefined;
}

export interface FormField {
  /** Unique in the form; the answer's key. */
  name: string;
  type: FieldType;
  label: LocalizedText;
  help?: LocalizedText | undefined;
  placeholder?: LocalizedText | undefined;
  required?: boolean | undefined;
  options?: FieldOption[] | undefined;
  /** Shown only when this holds (absent: always). */
  showIf?: Condition | undefined;
  /** Hidden when this holds. */
  hideIf?: Condition | undefined;
  /** Required (when shown) when this holds. */
  requireIf?: Condition | undefined;
  role?: FieldRole | undefined;
  /** Hidden fields: filled from the reader's context, never from the reader. */
  context?: ContextSource | undefined;
  /** Text fields: most characters; number fields: min and max; file fields: most bytes and accepted types. */
  maxLength?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
  maxBytes?: number | undefined;
  accept?: string[] | undefined;
  /** Notices: how loud the guidance is. */
  tone?: 'info' | 'warning' | 'danger' | undefined;
}

export interface FormDefinition {
  /** The locale every text must have; others fall back to it. */
  defaultLocale: string;
  title: LocalizedText;
  description?: LocalizedText | undefined;
  submitLabel?: LocalizedText | undefined;
  /** Shown on the confirmation page above the ticket reference. */
  confirmation?: LocalizedText | undefined;
  fields: FormField[];
}

/** One normalised answer: text, a number, a list of chosen options, or a file's descriptor. */
export type AnswerValue = string | number | string[] | FileAnswer;
export interface FileAnswer {
  filename: string;
  contentType: string;
  size: number;
}
export type Answers = Record<string, AnswerValue>;

/** How to read a raw answer (JSON, a form post's strings, the browser's DOM) as the field's value; undefined: empty. */
export function normalizeAnswer(field: FormField, raw: unknown): AnswerValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  switch (field.type) {
    case 'notice':
      return undefined;
    case 'checkboxes': {
      const list = Array.isArray(raw) ? raw : [raw];
      const values = list.filter((v): v is string => typeof v === 'string' && v !== '');
      const unique = [...new Set(values)];
      return unique.length > 0 ? unique : undefined;
    }
    case 'number': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : String(raw);
      if (typeof raw !== 'string') return undefined;
      const text = raw.trim();
      if (text === '') return undefined;
      // A number as a reader types it; anything else stays text so the validator can say it is not a number.
      return /^[-+]?(\d+([.,]\d+)?|[.,]\d+)$/.test(text) ? Number(text.replace(',', '.')) : text;
    }
    case 'file': {
      if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
      const file = raw as Partial<FileAnswer>;
      if (typeof file.filename !== 'string' || file.filename === '') return undefined;
      return {
        filename: file.filename,
        contentType: typeof file.contentType === 'string' ? file.contentType : 'application/octet-stream',
        size: typeof file.size === 'number' ? file.size : 0,
      };
    }
    default: {
      // A list's first item (a form post repeating a name); one level only: a list nested deeper is no answer, and
      // following it would exhaust the stack on a hostile body nested thousands deep.
      if (Array.isArray(raw)) return Array.isArray(raw[0]) ? undefined : normalizeAnswer(field, raw[0]);
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      if (typeof raw !== 'string') return undefined;
      const text = field.type === 'textarea' ? raw.replace(/\r\n?/g, '\n').trim() : raw.trim();
      return text === '' ? undefined : text;
    }
  }
}

function isEmpty(value: AnswerValue | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A number for gt / lt: a number, or numeric text; dates compare as ISO text. */
function comparable(value: AnswerValue | undefined): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function same(a: AnswerValue | undefined, b: string | number): boolean {
  if (a === undefined || Array.isArray(a) || typeof a === 'object') return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && String(a).trim() !== '';
  return a === b;
}

/**
 * Whether a condition holds for these answers. Answers of hidden fields must already be removed (fieldStates does
 * it), so a condition on a hidden field sees it empty.
 * - equals: the same text or number; on a checkbox list, exactly that one option chosen.
 * - oneOf: one of the values; on a checkbox list, any chosen option among them.
 * - contains: a checkbox list includes the value; text contains it, ignoring case.
 * - empty: nothing answered.
 * - gt / lt: numbers compare as numbers, dates (YYYY-MM-DD) as dates; anything else is false.
 */
export function evaluateCondition(condition: Condition, answers: Answers): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, answers));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, answers));
  if ('not' in condition) return !evaluateCondition(condition.not, answers);
  const value = answers[condition.field];
  switch (condition.op) {
    case 'empty':
      return isEmpty(value);
    case 'equals':
      if (Array.isArray(value)) return value.length === 1 && value[0] === String(condition.value);
      return same(value, condition.value);
    case 'oneOf':
      if (Array.isArray(value)) return value.some((v) => condition.value.some((c) => String(c) === v));
      return condition.value.some((c) => same(value, c));
    case 'contains':
      if (Array.isArray(value)) return value.includes(condition.value);
      if (typeof value === 'string') return value.toLowerCase().includes(condition.value.toLowerCase());
      if (typeof value === 'number') return String(value).includes(condition.value);
      return false;
    case 'gt':
    case 'lt': {
      const left = comparable(value);
      const right = comparable(condition.value);
      if (left === undefined || right === undefined || typeof left !== typeof right) return false;
      return condition.op === 'gt' ? left > right : left < right;
    }
  }
}

export interface FieldState {
  visible: boolean;
  required: boolean;
}

/**
 * Which fields are shown and required for these answers, in form order: a field's conditions see the answers of the
 * earlier fields that are shown (a hidden field counts as empty, so hiding cascades). Returns the states and the
 * answers that remain (hidden fields' answers stripped).
 */
export function fieldStates(
  definition: FormDefinition,
  answers: Answers,
): { states: Record<string, FieldState>; visibleAnswers: Answers } {
  const states: Record<string, FieldState> = {};
  const visibleAnswers: Answers = {};
  for (const field of definition.fields) {
    const shown =
      (field.showIf === undefined || evaluateCondition(field.showIf, visibleAnswers)) &&
      (field.hideIf === undefined || !evaluateCondition(field.hideIf, visibleAnswers));
    const visible = shown;
    const required =
      visible &&
      field.type !== 'notice' &&
      field.type !== 'hidden' &&
      (field.required === true ||
        (field.requireIf !== undefined && evaluateCondition(field.requireIf, visibleAnswers)));
    states[field.name] = { visible, required };
    const value = answers[field.name];
    if (visible && value !== undefined && field.type !== 'notice') visibleAnswers[field.name] = value;
  }
  return { states, visibleAnswers };
}

/** Why an answer is refused; the caller turns a code into a sentence in the reader's language (form-messages.ts). */
export type AnswerProblem =
  | { field: string; code: 'required' }
  | { field: string; code: 'tooLong'; max: number }
  | { field: string; code: 'invalidEmail' }
  | { field: string; code: 'invalidOption' }
  | { field: string; code: 'invalidNumber' }
  | { field: string; code: 'tooSmall'; min: number }
  | { field: string; code: 'tooLarge'; max: number }
  | { field: string; code: 'invalidDate' }
  | { field: string; code: 'fileTooLarge'; max: number }
  | { field: string; code: 'fileType' };

/** Characters a text answer may have when the field sets none (a description is long, a name is not). */
export const DEFAULT_MAX_LENGTH: Partial<Record<FieldType, number>> = {
  text: 300,
  textarea: 10_000,
  email: 320,
  hidden: 500,
};
/** Bytes a file may have when the field sets none. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Whether a file's declared type is among the accepted ones ("image/*", "application/pdf", ".pdf"). */
export function acceptsType(accept: readonly string[] | undefined, contentType: string, filename: string): boolean {
  if (!accept || accept.length === 0) return true;
  const type = contentType.toLowerCase();
  const name = filename.toLowerCase();
  return accept.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('.')) return name.endsWith(p);
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
    return type === p;
  });
}

/**
 * Validates normalised answers against the definition: hidden fields' answers are stripped, required and
 * required-if enforced, each type checked. Hidden (context) fields are never validated here: the server fills
 * them. Returns the answers to keep and one problem per field that is wrong.
 */
export function validateAnswers(
  definition: FormDefinition,
  answers: Answers,
): { answers: Answers; states: Record<string, FieldState>; problems: AnswerProblem[] } {
  const { states, visibleAnswers } = fieldStates(definition, answers);
  const problems: AnswerProblem[] = [];
  const kept: Answers = {};
  for (const field of definition.fields) {
    const state = states[field.name];
    if (!state?.visible || field.type === 'notice' || field.type === 'hidden') continue;
    const value = visibleAnswers[field.name];
    if (isEmpty(value)) {
      if (state.required) problems.push({ field: field.name, code: 'required' });
      continue;
    }
    const problem = checkValue(field, value as AnswerValue);
    if (problem) problems.push(problem);
    else kept[field.name] = value as AnswerValue;
  }
  return { answers: kept, states, problems };
}

function checkValue(field: FormField, value: AnswerValue): AnswerProblem | undefined {
  const name = field.name;
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email': {
      if (typeof value !== 'string') return { field: name, code: 'invalidOption' };
      const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type] ?? 300;
      if ([...value].length > max) return { field: name, code: 'tooLong', max };
      if (field.type === 'email' && !EMAIL.test(value)) return { field: name, code: 'invalidEmail' };
      return undefined;
    }
    case 'select':
    case 'radio': {
      const allowed = (field.options ?? []).map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value) ? undefined : { field: name, code: 'invalidOption' };
    }
    case 'checkboxes': {
      const allowed = (field.options ?? []).map((o) => o.value);
      return Array.isArray(value) && value.every((v) => allowed.includes(v))
        ? undefined
        : { field: name, code: 'invalidOption' };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { field: name, code: 'invalidNumber' };
      if (field.min !== undefined && value < field.min) return { field: name, code: 'tooSmall', min: field.min };
      if (field.max !== undefined && value > field.max) return { field: name, code: 'tooLarge', max: field.max };
      return undefined;
    }
    case 'date':
      return typeof value === 'string' && isValidDate(value) ? undefined : { field: name, code: 'invalidDate' };
    case 'file': {
      if (typeof value !== 'object' || Array.isArray(value)) return { field: name, code: 'fileType' };
      const max = field.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
      if (value.size > max) return { field: name, code: 'fileTooLarge', max };
      return acceptsType(field.accept, value.contentType, value.filename)
        ? undefined
        : { field: name, code: 'fileType' };
    }
    default:
      return undefined;
  }
}

/** The fields a condition reads (for the builder's checks and the island's listeners). */
export function conditionFields(condition: Condition | undefined, into: Set<string> = new Set()): Set<string> {
  if (!condition) return into;
  if ('all' in condition) for (const c of condition.all) conditionFields(c, into);
  else if ('any' in condition) for (const c of condition.any) conditionFields(c, into);
  else if ('not' in condition) conditionFields(condition.not, into);
  else into.add(condition.field);
  return into;
}

/** A text in the reader's locale, else the first of `fallbacks` that has one, else the form's default locale. */
export function localized(
  text: LocalizedText | undefined,
  locale: string,
  defaultLocale: string,
  fallbacks: readonly string[] = [],
): string {
  if (!text) return '';
  for (const code of [locale, ...fallbacks, defaultLocale]) {
    const value = text[code];
    if (value !== undefined && value !== '') return value;
  }
  return Object.values(text).find((v) => v !== '') ?? '';
}
