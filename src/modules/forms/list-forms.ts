import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import type { FormDefinition, LocalizedText } from './form-logic.js';
import { type LoadedForm, listCurrentForms, loadCurrentForm } from './forms.queries.js';
import type { ZFormDetail, ZFormSummary } from './forms.schema.js';

export type FormSummary = z.infer<typeof ZFormSummary>;
export type FormDetail = z.infer<typeof ZFormDetail>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every text a reader of the form can see (title, description, submit label, confirmation, each shown field's label,
 * help, placeholder and options). Hidden fields' labels are for operators only and don't count.
 */
function readerTexts(definition: FormDefinition): (LocalizedText | undefined)[] {
  const texts: (LocalizedText | undefined)[] = [
    definition.title,
    definition.description,
    definition.submitLabel,
    definition.confirmation,
  ];
  for (const field of definition.fields) {
    if (field.type === 'hidden') continue;
    texts.push(field.label, field.help, field.placeholder, ...(field.options ?? []).map((option) => option.label));
  }
  return texts;
}

/** The locales (among `locales`, in their order) in which every text of the form that exists has a translation. */
export function completeLocales(definition: FormDefinition, locales: readonly string[]): string[] {
  // A text that exists nowhere (an optional help left empty) asks nothing of any locale.
  const texts = readerTexts(definition).filter(
    (text): text is LocalizedText => text !== undefined && Object.values(text).some((v) => v.trim() !== ''),
  );
  return locales.filter((locale) => texts.every((text) => (text[locale] ?? '').trim() !== ''));
}

/**
 * The operator's list of forms in contact-page order, each with its translation coverage among `locales` (the
 * enabled content locales) and its submissions in the 30 days before `now`.
 */
export async function listForms(db: DB, locales: readonly string[], now: Date = new Date()): Promise<FormSummary[]> {
  const forms = await listCurrentForms(db);
  if (forms.length === 0) return [];
  const counts = await db
    .selectFrom('form_submissions')
    .select(['form_id', sql<string>`count(*)`.as('count')])
    .where('created_at', '>=', new Date(now.getTime() - 30 * DAY_MS))
    .where(
      'form_id',
      'in',
      forms.map((form) => form.id),
    )
    .groupBy('form_id')
    .execute();
  const byForm = new Map(counts.map((row) => [row.form_id, Number(row.count)]));
  return forms.map((form) => summarize(form, locales, byForm.get(form.id) ?? 0));
}

function summarize(form: LoadedForm, locales: readonly string[], submissions30d: number): FormSummary {
  return {
    key: form.key,
    version: form.version,
    enabled: form.enabled,
    position: form.position,
    title: form.definition.title,
    defaultLocale: form.definition.defaultLocale,
    fields: form.definition.fields.length,
    completeLocales: completeLocales(form.definition, locales),
    submissions30d,
    updatedAt: form.updatedAt.toISOString(),
  };
}

/** One form for the operator: its current definition and every version's number, date and author (newest first). */
export async function getFormDetail(db: DB, key: string): Promise<FormDetail> {
  const form = await loadCurrentForm(db, key);
  if (!form) throw notFound(`form "${key}"`);
  return presentFormDetail(db, form);
}

/** The operator's view of a loaded form (after a create or an update). */
export async function presentFormDetail(db: DB, form: LoadedForm): Promise<FormDetail> {
  const versions = await db
    .selectFrom('form_versions')
    .select(['version', 'created_at', 'created_by'])
    .where('form_id', '=', form.id)
    .orderBy('version', 'desc')
    .execute();
  return {
    key: form.key,
    version: form.version,
    enabled: form.enabled,
    position: form.position,
    definition: form.definition,
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.created_at.toISOString(),
      createdBy: v.created_by,
    })),
    updatedAt: form.updatedAt.toISOString(),
  };
}
