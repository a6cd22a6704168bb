import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARBITRARY_LOCALES, arbCondition, arbFormCase, arbFormDefinition, arbRawAnswers } from './form-arbitraries.js';
import {
  type Answers,
  acceptsType,
  type Condition,
  conditionFields,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_LENGTH,
  evaluateCondition,
  type FormDefinition,
  type FormField,
  fieldStates,
  localized,
  normalizeAnswer,
  validateAnswers,
} from './form-logic.js';
import type { LoadedForm } from './forms.queries.js';
import { ZFormDefinition } from './forms.schema.js';
import { type LocaleReading, presentPublicForm, publicFormAsDefinition } from './present-form.js';

const field = (name: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  name,
  type,
  label: { en: name },
  ...extra,
});
const is = (condition: Condition, answers: Answers) => evaluateCondition(condition, answers);

/** Normalises raw answers field by field, as the server and the island do. */
function normalizeAll(definition: FormDefinition, raw: Record<string, unknown>): Answers {
  const answers: Answers = {};
  for (const f of definition.fields) {
    const value = normalizeAnswer(f, raw[f.name]);
    if (value !== undefined) answers[f.name] = value;
  }
  return answers;
}

describe('evaluateCondition', () => {
  describe('equals', () => {
    it('compares text exactly (case counts), numbers as numbers, numeric text against numbers', () => {
      expect(is({ field: 'a', op: 'equals', value: 'refund' }, { a: 'refund' })).toBe(true);
      expect(is({ field: 'a', op: 'equals', value: 'refund' }, { a: 'Refund' })).toBe(false);
      expect(is({ field: 'a', op: 'equals', value: 'refund' }, {})).toBe(false);
      expect(is({ field: 'n', op: 'equals', value: 3 }, { n: 3 })).toBe(true);
      expect(is({ field: 'n', op: 'equals', value: 3 }, { n: 3.5 })).toBe(false);
      // A number typed as text (a text field, or a number field's value as the condition's text).
      expect(is({ field: 'n', op: 'equals', value: 3 }, { n: '3' })).toBe(true);
      expect(is({ field: 'n', op: 'equals', value: 3 }, { n: '3.0' })).toBe(true);
      expect(is({ field: 'n', op: 'equals', value: '3' }, { n: 3 })).toBe(true);
      expect(is({ field: 'n', op: 'equals', value: 0 }, { n: 'abc' })).toBe(false);
      expect(is({ field: 'd', op: 'equals', value: '2026-01-15' }, { d: '2026-01-15' })).toBe(true);
    });
    it('on a checkbox list: exactly that one option chosen', () => {
      expect(is({ field: 'c', op: 'equals', value: 'a' }, { c: ['a'] })).toBe(true);
      expect(is({ field: 'c', op: 'equals', value: 'a' }, { c: ['a', 'b'] })).toBe(false);
      expect(is({ field: 'c', op: 'equals', value: 'a' }, { c: [] })).toBe(false);
    });
    it('never holds for a file', () => {
      const file = { filename: 'a', contentType: 'image/png', size: 1 };
      expect(is({ field: 'f', op: 'equals', value: 'a' }, { f: file })).toBe(false);
    });
  });

  describe('oneOf', () => {
    it('text, numbers and numeric text, checkbox lists (any chosen among them), empty', () => {
      const c: Condition = { field: 'a', op: 'oneOf', value: ['x', 'y', 3] };
      expect(is(c, { a: 'y' })).toBe(true);
      expect(is(c, { a: 'z' })).toBe(false);
      expect(is(c, { a: 3 })).toBe(true);
      expect(is(c, { a: '3' })).toBe(true);
      expect(is(c, { a: ['z', 'x'] })).toBe(true);
      expect(is(c, { a: ['3'] })).toBe(true);
      expect(is(c, { a: ['z'] })).toBe(false);
      expect(is(c, {})).toBe(false);
    });
  });

  describe('contains', () => {
    it('text ignoring case, a checkbox list exactly, a number as its digits, nothing for empty or a file', () => {
      const c: Condition = { field: 'a', op: 'contains', value: 'Card' };
      expect(is(c, { a: 'my credit card was charged' })).toBe(true);
      expect(is(c, { a: 'my account' })).toBe(false);
      expect(is({ field: 'a', op: 'contains', value: 'b' }, { a: ['a', 'b'] })).toBe(true);
      // A list compares whole options, not their letters.
      expect(is({ field: 'a', op: 'contains', value: 'b' }, { a: ['abc'] })).toBe(false);
      expect(is({ field: 'a', op: 'contains', value: '12' }, { a: 3120 })).toBe(true);
      expect(is(c, {})).toBe(false);
      expect(is(c, { a: { filename: 'card.png', contentType: 'image/png', size: 1 } })).toBe(false);
    });
  });

  describe('empty', () => {
    it('holds for no answer, an empty text or list; not for 0 or a file', () => {
      const c: Condition = { field: 'a', op: 'empty' };
      expect(is(c, {})).toBe(true);
      expect(is(c, { a: '' })).toBe(true);
      expect(is(c, { a: [] })).toBe(true);
      expect(is(c, { a: 0 })).toBe(false);
      expect(is(c, { a: 'x' })).toBe(false);
      expect(is(c, { a: ['x'] })).toBe(false);
      expect(is(c, { a: { filename: 'a', contentType: 'x/y', size: 0 } })).toBe(false);
    });
  });

  describe('gt and lt', () => {
    it('compare numbers and numeric text as numbers (not as text: 10 > 9)', () => {
      expect(is({ field: 'n', op: 'gt', value: 9 }, { n: 10 })).toBe(true);
      expect(is({ field: 'n', op: 'gt', value: 9 }, { n: '10' })).toBe(true);
      expect(is({ field: 'n', op: 'gt', value: '9' }, { n: 10 })).toBe(true);
      expect(is({ field: 'n', op: 'lt', value: 9 }, { n: 10 })).toBe(false);
      expect(is({ field: 'n', op: 'gt', value: 10 }, { n: 10 })).toBe(false);
      expect(is({ field: 'n', op: 'lt', value: 10 }, { n: 10 })).toBe(false);
      expect(is({ field: 'n', op: 'lt', value: 0 }, { n: -0.5 })).toBe(true);
    });
    it('compare dates as dates', () => {
      expect(is({ field: 'd', op: 'gt', value: '2026-01-15' }, { d: '2026-02-01' })).toBe(true);
      expect(is({ field: 'd', op: 'lt', value: '2026-01-15' }, { d: '2025-12-31' })).toBe(true);
      expect(is({ field: 'd', op: 'gt', value: '2026-01-15' }, { d: '2026-01-15' })).toBe(false);
    });
    it('are false (both ways) for empty, text, lists, files and a date against a number', () => {
      for (const value of [undefined, 'abc', ['3'], { filename: 'a', contentType: 'x/y', size: 9 }, '2026-01-15']) {
        const answers: Answers = value === undefined ? {} : { n: value as Answers[string] };
        expect(is({ field: 'n', op: 'gt', value: 1 }, answers), String(value)).toBe(false);
        expect(is({ field: 'n', op: 'lt', value: 1 }, answers), String(value)).toBe(false);
      }
      expect(is({ field: 'n', op: 'gt', value: 'abc' }, { n: 5 })).toBe(false);
    });
  });

  describe('all, any, not', () => {
    const a: Condition = { field: 'a', op: 'equals', value: 'x' };
    const b: Condition = { field: 'b', op: 'empty' };
    it('combine and nest', () => {
      expect(is({ all: [a, b] }, { a: 'x' })).toBe(true);
      expect(is({ all: [a, b] }, { a: 'x', b: 'y' })).toBe(false);
      expect(is({ any: [a, b] }, { a: 'z', b: 'y' })).toBe(false);
      expect(is({ any: [a, b] }, { a: 'z' })).toBe(true);
      expect(is({ not: a }, { a: 'x' })).toBe(false);
      expect(is({ not: { not: a } }, { a: 'x' })).toBe(true);
      const nested: Condition = { any: [{ all: [a, { not: b }] }, { not: { any: [a, b] } }] };
      expect(is(nested, { a: 'x', b: 'y' })).toBe(true);
      expect(is(nested, { a: 'z', b: 'y' })).toBe(true);
      expect(is(nested, { a: 'z' })).toBe(false);
      expect(is(nested, { a: 'x' })).toBe(false);
    });
  });

  it('conditionFields lists every field read, nested', () => {
    const c: Condition = {
      all: [
        { field: 'a', op: 'empty' },
        {
          not: {
            any: [
              { field: 'b', op: 'gt', value: 1 },
              { field: 'a', op: 'empty' },
            ],
          },
        },
      ],
    };
    expect([...conditionFields(c)].sort()).toEqual(['a', 'b']);
    expect(conditionFields(undefined).size).toBe(0);
  });
});

describe('fieldStates', () => {
  const definition: FormDefinition = {
    defaultLocale: 'en',
    title: { en: 'T' },
    fields: [
      field('kind', 'radio', {
        options: [
          { value: 'x', label: { en: 'X' } },
          { value: 'y', label: { en: 'Y' } },
        ],
      }),
      field('b', 'text', { showIf: { field: 'kind', op: 'equals', value: 'x' } }),
      field('c', 'text', { showIf: { not: { field: 'b', op: 'empty' } } }),
      field('d', 'text', { hideIf: { field: 'c', op: 'equals', value: 'hide' } }),
      field('e', 'number', { requireIf: { field: 'kind', op: 'equals', value: 'y' } }),
      field('warn', 'notice', { required: true, showIf: { field: 'kind', op: 'equals', value: 'y' } }),
      field('from', 'hidden', { context: 'article', required: true }),
    ],
  };

  it('cascades hiding: A hides B, C depends on B → C hidden, and B and C answers are stripped', () => {
    const shown = fieldStates(definition, { kind: 'x', b: 'yes', c: 'hide', d: 'd' });
    expect(shown.states.b?.visible).toBe(true);
    expect(shown.states.c?.visible).toBe(true);
    expect(shown.states.d?.visible).toBe(false);
    expect(shown.visibleAnswers).toEqual({ kind: 'x', b: 'yes', c: 'hide' });

    const hidden = fieldStates(definition, { kind: 'y', b: 'yes', c: 'hide', d: 'd' });
    expect(hidden.states.b?.visible).toBe(false);
    // c reads b, which is hidden: b counts as empty, so c is hidden too, though b has a (stale) answer.
    expect(hidden.states.c?.visible).toBe(false);
    // d's hideIf reads c, hidden: empty, so d shows again.
    expect(hidden.states.d?.visible).toBe(true);
    expect(hidden.visibleAnswers).toEqual({ kind: 'y', d: 'd' });
  });

  it('requires if, only while shown; never requires a notice or a context field', () => {
    expect(fieldStates(definition, { kind: 'y' }).states.e).toEqual({ visible: true, required: true });
    expect(fieldStates(definition, { kind: 'x' }).states.e).toEqual({ visible: true, required: false });
    expect(fieldStates(definition, {}).states.warn).toEqual({ visible: false, required: false });
    expect(fieldStates(definition, { kind: 'y' }).states.warn).toEqual({ visible: true, required: false });
    expect(fieldStates(definition, {}).states.from).toEqual({ visible: true, required: false });
    const hiddenRequired: FormDefinition = {
      ...definition,
      fields: [
        field('a', 'text'),
        field('b', 'text', { required: true, showIf: { not: { field: 'a', op: 'empty' } } }),
      ],
    };
    expect(fieldStates(hiddenRequired, {}).states.b).toEqual({ visible: false, required: false });
  });
});

describe('normalizeAnswer on hostile input', () => {
  const text = field('t', 'text');
  const number = field('n', 'number');
  const boxes = field('c', 'checkboxes');
  const file = field('f', 'file');

  it('reads text: trims, takes the first of a list, stringifies numbers and booleans, drops objects', () => {
    expect(normalizeAnswer(text, '  hi  ')).toBe('hi');
    expect(normalizeAnswer(text, '   ')).toBeUndefined();
    expect(normalizeAnswer(text, ['first', 'second'])).toBe('first');
    expect(normalizeAnswer(text, 42)).toBe('42');
    expect(normalizeAnswer(text, true)).toBe('true');
    expect(normalizeAnswer(text, { toString: 'x' })).toBeUndefined();
    expect(normalizeAnswer(text, null)).toBeUndefined();
    expect(normalizeAnswer(field('l', 'textarea'), 'a\r\nb\rc ')).toBe('a\nb\nc');
    expect(normalizeAnswer(field('w', 'notice'), 'x')).toBeUndefined();
  });

  it('survives a list nested a hundred thousand deep (a JSON body can carry one)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => normalizeAnswer(text, deep)).not.toThrow();
    expect(normalizeAnswer(text, [['x']])).toBeUndefined();
  });

  it('reads numbers as typed; anything else stays text so validation can say it is not a number', () => {
    expect(normalizeAnswer(number, '12')).toBe(12);
    expect(normalizeAnswer(number, ' -3.5 ')).toBe(-3.5);
    expect(normalizeAnswer(number, '1,5')).toBe(1.5);
    expect(normalizeAnswer(number, '.5')).toBe(0.5);
    expect(normalizeAnswer(number, 7)).toBe(7);
    expect(normalizeAnswer(number, '')).toBeUndefined();
    expect(normalizeAnswer(number, 'NaN')).toBe('NaN');
    expect(normalizeAnswer(number, Number.NaN)).toBe('NaN');
    expect(normalizeAnswer(number, Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(normalizeAnswer(number, '1e400')).toBe('1e400');
    expect(normalizeAnswer(number, '0x10')).toBe('0x10');
    expect(normalizeAnswer(number, { valueOf: 3 })).toBeUndefined();
    expect(normalizeAnswer(number, true)).toBeUndefined();
    // Too many digits for a finite double: a number that validation refuses.
    expect(validateAnswers(def([number]), { n: normalizeAnswer(number, '9'.repeat(400)) as number }).problems).toEqual([
      { field: 'n', code: 'invalidNumber' },
    ]);
  });

  it('reads checkbox lists: strings only, no duplicates, empty → unanswered', () => {
    expect(normalizeAnswer(boxes, ['a', 'b', 'a', '', 3, null, { x: 1 }])).toEqual(['a', 'b']);
    expect(normalizeAnswer(boxes, 'a')).toEqual(['a']);
    expect(normalizeAnswer(boxes, [])).toBeUndefined();
    expect(normalizeAnswer(boxes, [1, 2])).toBeUndefined();
  });

  it('reads a file descriptor, nothing else', () => {
    expect(normalizeAnswer(file, { filename: 'a.png', contentType: 'image/png', size: 3, extra: 1 })).toEqual({
      filename: 'a.png',
      contentType: 'image/png',
      size: 3,
    });
    expect(normalizeAnswer(file, { filename: 'a.png' })).toEqual({
      filename: 'a.png',
      contentType: 'application/octet-stream',
      size: 0,
    });
    expect(normalizeAnswer(file, 'a.png')).toBeUndefined();
    expect(normalizeAnswer(file, [{ filename: 'a.png' }])).toBeUndefined();
    expect(normalizeAnswer(file, { filename: '' })).toBeUndefined();
  });
});

function def(fields: FormField[]): FormDefinition {
  return { defaultLocale: 'en', title: { en: 'T' }, fields };
}

describe('validateAnswers', () => {
  const check = (f: FormField, raw: unknown) =>
    validateAnswers(def([f]), normalizeAll(def([f]), { [f.name]: raw })).problems;

  it('text: default and own limits, counted in characters (not UTF-16 units)', () => {
    const t = field('t', 'text');
    expect(check(t, 'x'.repeat(DEFAULT_MAX_LENGTH.text as number))).toEqual([]);
    expect(check(t, 'x'.repeat((DEFAULT_MAX_LENGTH.text as number) + 1))).toEqual([
      { field: 't', code: 'tooLong', max: 300 },
    ]);
    const short = field('s', 'text', { maxLength: 3 });
    expect(check(short, '😀😀😀')).toEqual([]);
    expect(check(short, 'abcd')).toEqual([{ field: 's', code: 'tooLong', max: 3 }]);
    expect(check(field('l', 'textarea'), 'x'.repeat(10_001))).toEqual([{ field: 'l', code: 'tooLong', max: 10_000 }]);
  });

  it('email', () => {
    const e = field('e', 'email');
    for (const good of ['ana@example.com', 'a.b+c@sub.example.co']) expect(check(e, good), good).toEqual([]);
    for (const bad of [
      'ana',
      'ana@',
      '@example.com',
      'ana@example',
      'a b@example.com',
      'ana@exa mple.com',
      'a<b>@x.io',
    ]) {
      expect(check(e, bad), bad).toEqual([{ field: 'e', code: 'invalidEmail' }]);
    }
  });

  it('options of select, radio and checkboxes', () => {
    const options = [
      { value: 'a', label: { en: 'A' } },
      { value: 'b', label: { en: 'B' } },
    ];
    for (const type of ['select', 'radio'] as const) {
      const f = field('o', type, { options });
      expect(check(f, 'a')).toEqual([]);
      expect(check(f, 'c')).toEqual([{ field: 'o', code: 'invalidOption' }]);
      expect(check(f, ['a'])).toEqual([]);
    }
    const boxes = field('c', 'checkboxes', { options });
    expect(check(boxes, ['a', 'b'])).toEqual([]);
    expect(check(boxes, ['a', 'z'])).toEqual([{ field: 'c', code: 'invalidOption' }]);
  });

  it('numbers: not a number, min, max', () => {
    const n = field('n', 'number', { min: 0, max: 10 });
    expect(check(n, '5')).toEqual([]);
    expect(check(n, 0)).toEqual([]);
    expect(check(n, 10)).toEqual([]);
    expect(check(n, '-1')).toEqual([{ field: 'n', code: 'tooSmall', min: 0 }]);
    expect(check(n, 10.5)).toEqual([{ field: 'n', code: 'tooLarge', max: 10 }]);
    expect(check(n, 'five')).toEqual([{ field: 'n', code: 'invalidNumber' }]);
    expect(check(n, Number.NaN)).toEqual([{ field: 'n', code: 'invalidNumber' }]);
  });

  it('dates: the calendar, not only the shape', () => {
    const d = field('d', 'date');
    expect(check(d, '2026-02-28')).toEqual([]);
    expect(check(d, '2028-02-29')).toEqual([]);
    for (const bad of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '15/01/2026', 'today']) {
      expect(check(d, bad), bad).toEqual([{ field: 'd', code: 'invalidDate' }]);
    }
  });

  it('files: size (default and own) and accepted types', () => {
    const f = field('f', 'file', { accept: ['image/*', '.pdf'], maxBytes: 100 });
    expect(check(f, { filename: 'a.png', contentType: 'image/png', size: 100 })).toEqual([]);
    expect(check(f, { filename: 'a.PDF', contentType: 'application/octet-stream', size: 1 })).toEqual([]);
    expect(check(f, { filename: 'a.png', contentType: 'image/png', size: 101 })).toEqual([
      { field: 'f', code: 'fileTooLarge', max: 100 },
    ]);
    expect(check(f, { filename: 'a.exe', contentType: 'application/x-msdownload', size: 1 })).toEqual([
      { field: 'f', code: 'fileType' },
    ]);
    const any = field('g', 'file');
    expect(check(any, { filename: 'a.bin', contentType: 'x/y', size: DEFAULT_MAX_FILE_BYTES })).toEqual([]);
    expect(check(any, { filename: 'a.bin', contentType: 'x/y', size: DEFAULT_MAX_FILE_BYTES + 1 })).toEqual([
      { field: 'g', code: 'fileTooLarge', max: DEFAULT_MAX_FILE_BYTES },
    ]);
    expect(acceptsType(['application/pdf'], 'Application/PDF', 'x')).toBe(true);
    expect(acceptsType([], 'anything', 'x')).toBe(true);
  });

  it('required and required-if; hidden answers stripped and never reported; context fields not validated', () => {
    const definition = def([
      field('kind', 'select', {
        required: true,
        options: [
          { value: 'x', label: { en: 'X' } },
          { value: 'y', label: { en: 'Y' } },
        ],
      }),
      field('order', 'text', { maxLength: 3, showIf: { field: 'kind', op: 'equals', value: 'x' } }),
      field('amount', 'number', { requireIf: { field: 'kind', op: 'equals', value: 'y' } }),
      field('from', 'hidden', { context: 'article' }),
    ]);
    expect(validateAnswers(definition, {}).problems).toEqual([{ field: 'kind', code: 'required' }]);
    const y = validateAnswers(definition, { kind: 'y', order: 'way too long', from: 'x'.repeat(5000) });
    // order is hidden: its (invalid) answer is neither kept nor reported.
    expect(y.problems).toEqual([{ field: 'amount', code: 'required' }]);
    expect(y.answers).toEqual({ kind: 'y' });
    const x = validateAnswers(definition, { kind: 'x', order: 'abc', amount: 3 });
    expect(x.problems).toEqual([]);
    expect(x.answers).toEqual({ kind: 'x', order: 'abc', amount: 3 });
    expect(validateAnswers(definition, { kind: 'x', order: 'abcd' }).problems).toEqual([
      { field: 'order', code: 'tooLong', max: 3 },
    ]);
    // Required checkboxes with nothing ticked.
    const boxes = def([field('c', 'checkboxes', { required: true, options: [{ value: 'a', label: { en: 'A' } }] })]);
    expect(validateAnswers(boxes, normalizeAll(boxes, { c: [] })).problems).toEqual([{ field: 'c', code: 'required' }]);
  });
});

describe('localized', () => {
  it('the reader locale, then its fallbacks, then the default, then any text', () => {
    const text = { en: 'Hello', es: 'Hola', ar: '' };
    expect(localized(text, 'es', 'en')).toBe('Hola');
    expect(localized(text, 'ar', 'en')).toBe('Hello');
    expect(localized(text, 'pt-BR', 'en', ['es'])).toBe('Hola');
    expect(localized({ ja: 'こんにちは' }, 'ar', 'en', ['he'])).toBe('こんにちは');
    expect(localized({ en: 'Hello', ja: 'x' }, 'he', 'ja', [])).toBe('x');
    expect(localized(undefined, 'en', 'en')).toBe('');
    expect(localized({}, 'en', 'en')).toBe('');
  });
});

/** A content-locale reading for the property tests: ar and he are right to left, everything falls back to es. */
const READING: LocaleReading = {
  direction: (code) => (code === 'ar' || code === 'he' ? 'rtl' : 'ltr'),
  fallbackChain: (code) => (code === 'es' || code === 'en' ? [] : ['es']),
};

function loaded(definition: FormDefinition): LoadedForm {
  return { id: 1, key: 'prop', version: 3, enabled: true, position: 0, definition, updatedAt: new Date(0) };
}

describe('properties of the condition engine (fast-check)', () => {
  it('every generated definition passes ZFormDefinition', () => {
    fc.assert(
      fc.property(arbFormDefinition(10), (definition) => {
        const parsed = ZFormDefinition.safeParse(definition);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('fieldStates is deterministic, and stripping hidden fields answers changes nothing', () => {
    fc.assert(
      fc.property(arbFormCase(), ({ definition, raw }) => {
        const answers = normalizeAll(definition, raw);
        const first = fieldStates(definition, answers);
        expect(fieldStates(definition, structuredClone(answers))).toEqual(first);
        // Answers of hidden fields play no part: without them, the same states.
        const onlyVisible = Object.fromEntries(Object.entries(answers).filter(([name]) => first.states[name]?.visible));
        expect(fieldStates(definition, onlyVisible)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('a field whose conditions read only hidden or empty fields behaves as if they were unanswered', () => {
    fc.assert(
      fc.property(arbFormCase(), ({ definition, raw }) => {
        const answers = normalizeAll(definition, raw);
        const { states, visibleAnswers } = fieldStates(definition, answers);
        for (const f of definition.fields) {
          const read = new Set<string>();
          for (const c of [f.showIf, f.hideIf, f.requireIf]) conditionFields(c, read);
          const unanswered = [...read].every((name) => !states[name]?.visible || visibleAnswers[name] === undefined);
          if (!unanswered) continue;
          const visible =
            (f.showIf === undefined || evaluateCondition(f.showIf, {})) &&
            (f.hideIf === undefined || !evaluateCondition(f.hideIf, {}));
          const required =
            visible &&
            f.type !== 'notice' &&
            f.type !== 'hidden' &&
            (f.required === true || (f.requireIf !== undefined && evaluateCondition(f.requireIf, {})));
          expect(states[f.name], f.name).toEqual({ visible, required });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('validateAnswers never keeps nor reports a hidden field, and reports every visible required empty one', () => {
    fc.assert(
      fc.property(arbFormCase(), ({ definition, raw }) => {
        const result = validateAnswers(definition, normalizeAll(definition, raw));
        const reported = new Set(result.problems.map((p) => p.field));
        expect(reported.size).toBe(result.problems.length);
        for (const f of definition.fields) {
          const state = result.states[f.name];
          if (!state?.visible || f.type === 'notice' || f.type === 'hidden') {
            expect(result.answers[f.name], f.name).toBeUndefined();
            expect(reported.has(f.name), f.name).toBe(false);
          }
          // A field is kept or reported, never both.
          if (reported.has(f.name)) expect(result.answers[f.name]).toBeUndefined();
          if (state?.required && result.answers[f.name] === undefined) expect(reported.has(f.name)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the public form of every locale gives exactly the states and problems of the full definition', () => {
    fc.assert(
      fc.property(arbFormCase(), ({ definition, raw }) => {
        const answers = normalizeAll(definition, raw);
        const full = validateAnswers(definition, answers);
        for (const locale of ARBITRARY_LOCALES) {
          const publicForm = presentPublicForm(loaded(definition), locale, READING);
          const browserDefinition = publicFormAsDefinition(JSON.parse(JSON.stringify(publicForm)));
          // The island normalises from the same raw answers with the public fields.
          const browserAnswers = normalizeAll(browserDefinition, raw);
          expect(browserAnswers).toEqual(answers);
          expect(fieldStates(browserDefinition, browserAnswers)).toEqual(fieldStates(definition, answers));
          expect(validateAnswers(browserDefinition, browserAnswers)).toEqual(full);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('not(c) is the negation of c, and all / any agree with every / some', () => {
    const arbCase = arbFormDefinition(6)
      .filter((d) => d.fields.some((f) => f.type !== 'notice' && f.type !== 'file'))
      .chain((definition) =>
        fc.record({
          definition: fc.constant(definition),
          conditions: fc.array(arbCondition(definition.fields, 4), { minLength: 1, maxLength: 3 }),
          raw: arbRawAnswers(definition),
        }),
      );
    fc.assert(
      fc.property(arbCase, ({ definition, conditions, raw }) => {
        const answers = fieldStates(definition, normalizeAll(definition, raw)).visibleAnswers;
        for (const c of conditions) expect(evaluateCondition({ not: c }, answers)).toBe(!evaluateCondition(c, answers));
        const each = conditions.map((c) => evaluateCondition(c, answers));
        expect(evaluateCondition({ all: conditions }, answers)).toBe(each.every(Boolean));
        expect(evaluateCondition({ any: conditions }, answers)).toBe(each.some(Boolean));
      }),
      { numRuns: 500 },
    );
  });

  it('conditions hold and fail often enough for the properties to mean something', () => {
    let visible = 0;
    let hidden = 0;
    fc.assert(
      fc.property(arbFormCase(), ({ definition, raw }) => {
        const { states } = fieldStates(definition, normalizeAll(definition, raw));
        for (const f of definition.fields) {
          if (!f.showIf && !f.hideIf) continue;
          if (states[f.name]?.visible) visible++;
          else hidden++;
        }
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(visible).toBeGreaterThan(50);
    expect(hidden).toBeGreaterThan(50);
  });
});
