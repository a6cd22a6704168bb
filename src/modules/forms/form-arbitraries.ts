/**
 * fast-check arbitraries of form definitions and raw answers, for the condition engine's property tests
 * (form-logic.test.ts) and the browser-against-server property test in Chromium. Definitions are generated field by
 * field, each condition reading only earlier answerable fields, so every one passes ZFormDefinition; answers are
 * drawn from small domains close to the conditions' values, so conditions hold often enough to matter, mixed with
 * wrong and hostile values.
 */
import fc from 'fast-check';
import type {
  Condition,
  ContextSource,
  FieldOption,
  FieldType,
  FileAnswer,
  FormDefinition,
  FormField,
  LocalizedText,
} from './form-logic.js';

/** The locales generated texts are written in (en is every definition's default). */
export const ARBITRARY_LOCALES = ['en', 'ar', 'es', 'ja', 'he'] as const;

const WORDS = ['a', 'b', 'alpha', 'Beta', 'refund', '3', '10', '2026-01-15'] as const;
const NUMBERS = [-5, 0, 1, 3, 7, 10, 42] as const;
const DATES = ['2025-12-31', '2026-01-15', '2026-02-28', '2026-03-01'] as const;
const CONTEXTS: readonly ContextSource[] = ['article', 'revision', 'locale', 'region', 'query'];
const ANSWERABLE: readonly FieldType[] = [
  'text',
  'textarea',
  'email',
  'select',
  'radio',
  'checkboxes',
  'number',
  'date',
  'hidden',
];
const TYPES: readonly FieldType[] = [...ANSWERABLE, 'file', 'notice'];

/** A text in the default locale and some others. */
function arbText(prefix: string): fc.Arbitrary<LocalizedText> {
  return fc
    .subarray(ARBITRARY_LOCALES.filter((l) => l !== 'en'))
    .map((others) => Object.fromEntries(['en', ...others].map((code) => [code, `${prefix} (${code})`])));
}

function optionValues(field: FormField): string[] {
  return (field.options ?? []).map((o) => o.value);
}

/** A value a condition on `target` may compare with: mostly from what the field's answers look like. */
function arbScalarFor(target: FormField): fc.Arbitrary<string | number> {
  switch (target.type) {
    case 'select':
    case 'radio':
    case 'checkboxes':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...optionValues(target)) }, fc.constantFrom(...WORDS));
    case 'number':
      return fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMBERS).map(String));
    case 'date':
      return fc.constantFrom(...DATES);
    default:
      return fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...NUMBERS));
  }
}

function arbComparison(earlier: readonly FormField[]): fc.Arbitrary<Condition> {
  const targets = earlier.filter((f) => f.type !== 'notice' && f.type !== 'file');
  return fc.constantFrom(...targets).chain((target): fc.Arbitrary<Condition> => {
    const field = target.name;
    const scalar = arbScalarFor(target);
    return fc.oneof(
      scalar.map((value): Condition => ({ field, op: 'equals', value })),
      fc.array(scalar, { minLength: 1, maxLength: 3 }).map((value): Condition => ({ field, op: 'oneOf', value })),
      scalar.map((value): Condition => ({ field, op: 'contains', value: String(value) })),
      fc.constant<Condition>({ field, op: 'empty' }),
      fc
        .tuple(fc.constantFrom('gt' as const, 'lt' as const), scalar)
        .map(([op, value]): Condition => ({ field, op, value })),
    );
  });
}

/** A condition (all / any / not nested up to `depth` levels) over the answerable fields among `earlier`. */
export function arbCondition(earlier: readonly FormField[], depth = 3): fc.Arbitrary<Condition> {
  const leaf = arbComparison(earlier);
  if (depth <= 1) return leaf;
  const inner = arbCondition(earlier, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { minLength: 1, maxLength: 3 }).map((all): Condition => ({ all })) },
    { weight: 1, arbitrary: fc.array(inner, { minLength: 1, maxLength: 3 }).map((any): Condition => ({ any })) },
    { weight: 1, arbitrary: inner.map((not): Condition => ({ not })) },
  );
}

function arbOptions(name: string): fc.Arbitrary<FieldOption[]> {
  return fc.integer({ min: 1, max: 4 }).chain((count) =>
    fc.tuple(
      ...Array.from({ length: count }, (_, i) =>
        fc.tuple(arbText(`${name} option ${i}`), fc.boolean()).map(
          ([label, categorised]): FieldOption => ({
            value: ['a', 'b', 'refund', 'other'][i] as string,
            label,
            ...(categorised ? { category: `category-${i}` } : {}),
          }),
        ),
      ),
    ),
  );
}

/** One field named `name` whose conditions read only `earlier` answerable fields. */
function arbField(name: string, earlier: readonly FormField[]): fc.Arbitrary<FormField> {
  const canCondition = earlier.some((f) => f.type !== 'notice' && f.type !== 'file');
  const maybe = (depth: number) =>
    canCondition ? fc.option(arbCondition(earlier, depth), { nil: undefined, freq: 2 }) : fc.constant(undefined);
  return fc.constantFrom(...TYPES).chain((type) =>
    fc
      .record({
        label: arbText(`label ${name}`),
        help: fc.option(arbText(`help ${name}`), { nil: undefined }),
        required: fc.option(fc.boolean(), { nil: undefined }),
        options: ['select', 'radio', 'checkboxes'].includes(type) ? arbOptions(name) : fc.constant(undefined),
        showIf: maybe(3),
        hideIf: maybe(2),
        requireIf: maybe(2),
        context: type === 'hidden' ? fc.constantFrom(...CONTEXTS) : fc.constant(undefined),
        bounds: fc.option(fc.tuple(fc.integer({ min: -3, max: 5 }), fc.integer({ min: 5, max: 30 })), {
          nil: undefined,
        }),
        maxLength: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        tone:
          type === 'notice'
            ? fc.constantFrom('info' as const, 'warning' as const, 'danger' as const)
            : fc.constant(undefined),
      })
      .map((parts): FormField => {
        const field: FormField = { name, type, label: parts.label };
        if (parts.help) field.help = parts.help;
        if (parts.required !== undefined && type !== 'notice') field.required = parts.required;
        if (parts.options) field.options = parts.options;
        if (parts.showIf) field.showIf = parts.showIf;
        if (parts.hideIf) field.hideIf = parts.hideIf;
        if (parts.requireIf && type !== 'notice') field.requireIf = parts.requireIf;
        if (parts.context) field.context = parts.context;
        if (type === 'number' && parts.bounds) [field.min, field.max] = parts.bounds;
        if ((type === 'text' || type === 'textarea') && parts.maxLength) field.maxLength = parts.maxLength;
        if (type === 'file') {
          field.accept = ['image/*', '.pdf'];
          field.maxBytes = 1000;
        }
        if (parts.tone) field.tone = parts.tone;
        return field;
      }),
  );
}

/**
 * A valid form definition of 1 to `maxFields` fields (plus a subject when none was drawn), in form order, each
 * condition reading only earlier fields.
 */
export function arbFormDefinition(maxFields = 8): fc.Arbitrary<FormDefinition> {
  const build = (fields: FormField[], left: number): fc.Arbitrary<FormField[]> =>
    left === 0
      ? fc.constant(fields)
      : arbField(`f${fields.length}`, fields).chain((field) => build([...fields, field], left - 1));
  return fc
    .tuple(fc.integer({ min: 1, max: maxFields }), arbText('title'))
    .chain(([count, title]) => build([], count).map((fields) => ({ fields, title })))
    .map(({ fields, title }): FormDefinition => {
      const subject = fields.find((f) => f.type === 'text');
      if (subject) subject.role = 'subject';
      else fields.push({ name: 'subject', type: 'text', role: 'subject', label: { en: 'Subject' } });
      return { defaultLocale: 'en', title, fields };
    });
}

const FILES: FileAnswer[] = [
  { filename: 'shot.png', contentType: 'image/png', size: 500 },
  { filename: 'big.png', contentType: 'image/png', size: 5000 },
  { filename: 'doc.pdf', contentType: 'application/octet-stream', size: 10 },
  { filename: 'run.exe', contentType: 'application/x-msdownload', size: 10 },
];

/** A raw answer as a client might send it for this field: usually plausible, sometimes wrong or hostile. */
export function arbRawAnswer(field: FormField): fc.Arbitrary<unknown> {
  const hostile = fc.constantFrom<unknown>(null, '', '   ', { a: 1 }, [], ['x', 'y'], true, Number.NaN, 'zzz');
  let plausible: fc.Arbitrary<unknown>;
  switch (field.type) {
    case 'select':
    case 'radio':
      plausible = fc.constantFrom(...optionValues(field));
      break;
    case 'checkboxes':
      plausible = fc.subarray([...optionValues(field), 'zzz']);
      break;
    case 'number':
      plausible = fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMBERS).map(String), fc.constant('1,5'));
      break;
    case 'date':
      plausible = fc.constantFrom(...DATES, '2026-02-30', 'yesterday');
      break;
    case 'email':
      plausible = fc.constantFrom('ana@example.com', 'not-an-email');
      break;
    case 'file':
      plausible = fc.constantFrom(...FILES);
      break;
    default:
      plausible = fc.oneof(fc.constantFrom(...WORDS), fc.constant('x'.repeat(20)));
  }
  return fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
}

/** Raw answers to some of the definition's fields (a field left out is unanswered). */
export function arbRawAnswers(definition: FormDefinition): fc.Arbitrary<Record<string, unknown>> {
  const entries = definition.fields.map((field) =>
    fc.option(arbRawAnswer(field), { nil: undefined, freq: 3 }).map((value) => [field.name, value] as const),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== undefined)));
}

/** A definition with raw answers to it. */
export function arbFormCase(maxFields = 8): fc.Arbitrary<{ definition: FormDefinition; raw: Record<string, unknown> }> {
  return arbFormDefinition(maxFields).chain((definition) =>
    arbRawAnswers(definition).map((raw) => ({ definition, raw })),
  );
}
