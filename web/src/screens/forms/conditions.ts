import type { TFunction } from 'i18next';
import { CHOICE_TYPES, type Condition, type FormField, localized } from '../../../../src/modules/forms/form-logic.js';

export type Rule = Extract<Condition, { field: string }>;
export type Comparison = Rule['op'];
export const COMPARISONS: Comparison[] = ['equals', 'oneOf', 'contains', 'empty', 'gt', 'lt'];
export const CONDITION_KEYS = ['showIf', 'hideIf', 'requireIf'] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

/** Fields a condition on field `index` may read: earlier ones that have an answer (the server's rule too). */
export function answerableBefore(fields: FormField[], index: number): FormField[] {
  return fields.slice(0, index).filter((f) => f.type !== 'notice' && f.type !== 'file');
}

/** The comparisons that make sense for a field's type (all six stay valid on the server). */
export function comparisonsFor(field: FormField | undefined): Comparison[] {
  if (!field) return COMPARISONS;
  if (CHOICE_TYPES.includes(field.type)) return ['equals', 'oneOf', 'contains', 'empty'];
  if (field.type === 'number' || field.type === 'date') return ['equals', 'gt', 'lt', 'empty'];
  return ['equals', 'oneOf', 'contains', 'empty'];
}

/** A rule on `field` with a sensible first value (its first option for a choice field). */
export function newRule(field: FormField): Rule {
  const first = field.options?.[0]?.value;
  if (first !== undefined) return { field: field.name, op: 'equals', value: first };
  return { field: field.name, op: 'empty' };
}

/** A rule moved to another comparison, keeping what it can of the value. */
export function withComparison(rule: Rule, op: Comparison): Rule {
  const current = 'value' in rule ? rule.value : undefined;
  const one = Array.isArray(current) ? (current[0] ?? '') : (current ?? '');
  switch (op) {
    case 'empty':
      return { field: rule.field, op };
    case 'oneOf':
      return { field: rule.field, op, value: Array.isArray(current) ? current : one === '' ? [] : [one] };
    case 'contains':
      return { field: rule.field, op, value: String(one) };
    default:
      return { field: rule.field, op, value: one };
  }
}

/** Renames every reference to a field (when the builder renames it). */
export function renameInCondition(condition: Condition, from: string, to: string): Condition {
  if ('all' in condition) return { all: condition.all.map((c) => renameInCondition(c, from, to)) };
  if ('any' in condition) return { any: condition.any.map((c) => renameInCondition(c, from, to)) };
  if ('not' in condition) return { not: renameInCondition(condition.not, from, to) };
  return condition.field === from ? { ...condition, field: to } : condition;
}

/**
 * A condition as a sentence in the operator's language, with field labels and option labels in the locale being
 * edited: "What is the problem? is Charged twice and Amount is more than 10".
 */
export function describeCondition(
  condition: Condition,
  fields: FormField[],
  locale: string,
  defaultLocale: string,
  t: TFunction,
): string {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const label = (name: string) => {
    const field = byName.get(name);
    return field ? `“${localized(field.label, locale, defaultLocale) || name}”` : `“${name}”`;
  };
  const value = (name: string, v: string | number) => {
    const option = byName.get(name)?.options?.find((o) => o.value === String(v));
    return `“${option ? localized(option.label, locale, defaultLocale) || option.value : String(v)}”`;
  };
  const walk = (c: Condition, nested: boolean): string => {
    if ('all' in c || 'any' in c) {
      const parts = 'all' in c ? c.all : c.any;
      const joined = parts
        .map((p) => walk(p, true))
        .join(` ${t(`forms:condition.join.${'all' in c ? 'all' : 'any'}`)} `);
      return nested && parts.length > 1 ? `(${joined})` : joined;
    }
    if ('not' in c) return t('forms:condition.sentence.not', { condition: walk(c.not, true) });
    const field = label(c.field);
    switch (c.op) {
      case 'empty':
        return t('forms:condition.sentence.empty', { field });
      case 'oneOf':
        return t('forms:condition.sentence.oneOf', {
          field,
          value: c.value.map((v) => value(c.field, v)).join(', '),
        });
      case 'contains':
        return t('forms:condition.sentence.contains', { field, value: value(c.field, c.value) });
      default:
        return t(`forms:condition.sentence.${c.op}`, { field, value: value(c.field, c.value) });
    }
  };
  return walk(condition, false);
}
