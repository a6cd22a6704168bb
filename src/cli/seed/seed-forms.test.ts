import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import {
  type Answers,
  type FormDefinition,
  fieldStates,
  type LocalizedText,
  validateAnswers,
  ZFormDefinition,
} from '../../modules/forms/index.js';
import { SUPPORTED_LOCALES } from '../../shared/locales.js';
import { seedContent } from './seed-content.js';
import { demoSimulationOptions, sessionMessages } from './seed-events.js';
import { type SeedFeedbackResult, seedFeedback } from './seed-feedback.js';
import { DEMO_FORM_JOURNEYS, loadDemoForms, seedForms } from './seed-forms.js';
import { loadSimArticles } from './seed-search.js';
import { type SimSession, type SimStep, simulateActivity } from './simulate-activity.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function definitionOf(key: string): FormDefinition {
  const form = loadDemoForms().find((f) => f.key === key);
  if (!form) throw new Error(`no demo form ${key}`);
  return form.definition;
}

function visible(definition: FormDefinition, answers: Answers): string[] {
  const { states } = fieldStates(definition, answers);
  return definition.fields.filter((f) => states[f.name]?.visible && f.type !== 'hidden').map((f) => f.name);
}

function problems(definition: FormDefinition, answers: Answers): string[] {
  return validateAnswers(definition, answers).problems.map((p) => `${p.field}:${p.code}`);
}

describe('the demo forms (demo/forms/*.json)', () => {
  it('are valid form definitions: account access, billing and safety, and a form for everything else', () => {
    const forms = loadDemoForms();
    expect(forms.map((f) => f.key)).toEqual(['account-access', 'billing', 'safety', 'general']);
    for (const form of forms) expect(ZFormDefinition.safeParse(form.definition).success, form.key).toBe(true);
  });

  it('have every text a reader sees in en, es, ar, he, ja and ru, each its own translation', () => {
    for (const { key, definition } of loadDemoForms()) {
      const texts: [string, LocalizedText | undefined][] = [
        ['title', definition.title],
        ['description', definition.description],
        ['submitLabel', definition.submitLabel],
        ['confirmation', definition.confirmation],
      ];
      for (const field of definition.fields) {
        if (field.type === 'hidden') continue;
        texts.push([`${field.name}.label`, field.label]);
        if (field.help) texts.push([`${field.name}.help`, field.help]);
        for (const option of field.options ?? []) texts.push([`${field.name}.${option.value}`, option.label]);
      }
      for (const [where, text] of texts) {
        expect(text, `${key} ${where}`).toBeDefined();
        for (const locale of SUPPORTED_LOCALES)
          expect(text?.[locale]?.trim(), `${key} ${where} ${locale}`).toBeTruthy();
        // Right-to-left, Japanese and Russian texts are written in their own script, not copied from English.
        if (!/^(Google Play|Android|App Store \(iPhone, iPad\))$/.test(text?.en ?? '')) {
          expect(text?.ar, `${key} ${where} ar`).toMatch(/[\u0600-\u06ff]/);
          expect(text?.he, `${key} ${where} he`).toMatch(/[\u0590-\u05ff]/);
          expect(text?.ru, `${key} ${where} ru`).toMatch(/[\u0400-\u04ff]/);
        }
      }
    }
  });

  it('billing: "Charged twice" requires the date and amount, "Refund" the order id, "Invoice" offers a VAT number', () => {
    const billing = definitionOf('billing');
    const base = { subject: 'Charge', description: 'Please check', email: 'reader@example.com' };
    expect(visible(billing, { problem: 'other' })).not.toContain('charge_date');
    expect(problems(billing, { ...base, problem: 'charged_twice' }).sort()).toEqual([
      'amount:required',
      'charge_date:required',
    ]);
    expect(problems(billing, { ...base, problem: 'charged_twice', charge_date: '2026-02-20', amount: 9.99 })).toEqual(
      [],
    );
    expect(problems(billing, { ...base, problem: 'refund' })).toEqual(['order_id:required']);
    expect(visible(billing, { problem: 'invoice' })).toContain('vat_number');
    expect(problems(billing, { ...base, problem: 'invoice' })).toEqual([]);
    // An answer to a field the reader no longer sees is dropped, not kept.
    const kept = validateAnswers(billing, { ...base, problem: 'invoice', order_id: 'PW-1' }).answers;
    expect(kept.order_id).toBeUndefined();
    const screenshot = billing.fields.find((f) => f.name === 'screenshot');
    expect(screenshot).toMatchObject({
      type: 'file',
      accept: ['image/*', 'application/pdf'],
      maxBytes: 5 * 1024 * 1024,
    });
    expect(billing.fields.find((f) => f.type === 'hidden')?.context).toBe('article');
  });

  it('safety: "yes, someone is in danger" shows the emergency guidance first and makes the rest optional', () => {
    const safety = definitionOf('safety');
    const inDanger = visible(safety, { in_danger: 'yes' });
    expect(inDanger.slice(0, 2)).toEqual(['in_danger', 'danger_notice']);
    expect(safety.fields.find((f) => f.name === 'danger_notice')?.tone).toBe('danger');
    expect(problems(safety, { in_danger: 'yes' })).toEqual([]);
    expect(visible(safety, { in_danger: 'no' })).not.toContain('danger_notice');
    expect(problems(safety, { in_danger: 'no' }).sort()).toEqual([
      'description:required',
      'subject:required',
      'what_happened:required',
      'when:required',
      'where:required',
    ]);
    expect(visible(safety, { in_danger: 'no', evidence: ['pin_links'] })).toContain('links');
    expect(visible(safety, { in_danger: 'no', evidence: ['messages'] })).not.toContain('links');
  });

  it('account access: a lost two-factor device asks for backup codes, and having them shows how to use them', () => {
    const account = definitionOf('account-access');
    expect(visible(account, { problem: 'two_factor' })).toContain('lost_device');
    expect(visible(account, { problem: 'two_factor', lost_device: 'no' })).toContain('code_problem');
    expect(visible(account, { problem: 'two_factor', lost_device: 'yes' })).toEqual(
      expect.arrayContaining(['backup_codes']),
    );
    expect(visible(account, { problem: 'two_factor', lost_device: 'yes', backup_codes: 'yes' })).toContain(
      'backup_notice',
    );
    expect(visible(account, { problem: 'cant_sign_in', lost_device: 'yes' })).not.toContain('backup_codes');
    const categories = account.fields.find((f) => f.role === 'category')?.options?.map((o) => o.category);
    expect(categories).toEqual(expect.arrayContaining(['sign-in', 'two-factor', 'hacked-account']));
  });
});

describe('seeding the demo forms and filing the simulated tickets through them', () => {
  let handle: DatabaseHandle;
  let sessions: SimSession[];
  let result: SeedFeedbackResult;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await seedContent(handle.db);
    sessions = simulateActivity(demoSimulationOptions(await loadSimArticles(handle.db), NOW));
    result = await seedFeedback(handle.db, { now: NOW, sessions });
  }, 240_000);
  afterAll(async () => {
    await handle.close();
  });

  it('creates the forms once; seeding again makes no new version, and a changed form is brought back', async () => {
    const first = await seedForms(handle.db);
    expect(first.created).toBe(0);
    expect(first.updated).toBe(0);
    expect(first.forms.map((f) => [f.key, f.version])).toEqual([
      ['account-access', 1],
      ['billing', 1],
      ['safety', 1],
      ['general', 1],
    ]);
    const billing = first.forms.find((f) => f.key === 'billing')!;
    await sql`UPDATE form_versions SET definition = jsonb_set(definition, '{title,en}', '"Money"')
               WHERE form_id = ${billing.id}`.execute(handle.db);
    const again = await seedForms(handle.db);
    expect(again.updated).toBe(1);
    expect(again.forms.find((f) => f.key === 'billing')?.version).toBe(2);
    expect(again.forms.find((f) => f.key === 'billing')?.definition.title.en).toBe('Billing');
  });

  it('keeps the simulation as it was: the same sessions and steps, with the forms added to the contact steps', async () => {
    const { forms, ...before } = demoSimulationOptions(await loadSimArticles(handle.db), NOW);
    expect(forms).toBe(DEMO_FORM_JOURNEYS);
    const strip = (list: SimSession[]) =>
      list.map((s) => ({
        ...s,
        steps: s.steps
          .filter((x) => x.type !== 'contact_suggestions' && x.type !== 'contact_deflected')
          .map((x) => {
            if (x.type !== 'contact_view' && x.type !== 'contact_submit') return x;
            const { form: _form, ...rest } = x;
            if (rest.type === 'contact_submit') delete rest.about;
            return rest;
          }),
      }));
    const without = simulateActivity({ ...before });
    expect(strip(sessions)).toEqual(without);
    expect(sessions.some((s) => s.steps.some((x) => x.type === 'contact_deflected'))).toBe(true);
  });

  it('files every simulated submission as a contact_form ticket with a reference and answers its form accepts', async () => {
    const submits = sessions.flatMap((s) => s.steps.filter((x) => x.type === 'contact_submit'));
    expect(submits.length).toBeGreaterThan(100);
    expect(result.tickets).toBe(submits.length);
    const { rows } = await sql<{
      reference: string | null;
      source: string;
      slug: string | null;
      subject: string;
      key: string;
      definition: FormDefinition;
      answers: Answers;
      context: Record<string, unknown>;
      created_at: Date;
      submitted_at: Date;
    }>`
      SELECT t.reference, t.source, a.slug, t.subject, f.key, v.definition, s.answers, s.context,
             t.created_at, s.created_at AS submitted_at
        FROM tickets t
        JOIN form_submissions s ON s.ticket_id = t.id
        JOIN forms f ON f.id = s.form_id
        JOIN form_versions v ON v.form_id = s.form_id AND v.version = s.form_version
        LEFT JOIN articles a ON a.id = t.source_article_id
       WHERE t.external_id LIKE 'demo-sim-%'`.execute(handle.db);
    expect(rows.length).toBe(submits.length);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(rows.length);
    const byForm = new Map<string, number>();
    for (const row of rows) {
      expect(row.source).toBe('contact_form');
      expect(row.reference).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      expect(row.submitted_at.getTime()).toBe(row.created_at.getTime());
      const checked = validateAnswers(row.definition, row.answers);
      expect(checked.problems, `${row.key} ${JSON.stringify(row.answers)}`).toEqual([]);
      expect(row.answers.subject ?? row.subject).toBe(row.subject);
      // The article the reader came from is the ticket's source article and the form's hidden context.
      expect(row.context.article ?? null).toBe(row.slug);
      if (row.slug && row.definition.fields.some((f) => f.context === 'article'))
        expect(row.answers.article).toBe(row.slug);
      byForm.set(row.key, (byForm.get(row.key) ?? 0) + 1);
    }
    for (const key of ['account-access', 'billing', 'safety', 'general'])
      expect(byForm.get(key), key).toBeGreaterThan(0);
    // Conditional answers appear: some billing tickets are double charges with their date and amount.
    expect(rows.some((r) => r.answers.problem === 'charged_twice' && typeof r.answers.amount === 'number')).toBe(true);
  });

  it('records deflections credited to the article, revision and locale the reader was shown', async () => {
    const deflected = sessions.flatMap((s) =>
      s.steps.filter((x): x is Extract<SimStep, { type: 'contact_deflected' }> => x.type === 'contact_deflected'),
    );
    expect(deflected.length).toBeGreaterThan(10);
    const { rows } = await sql<{ slug: string; locale: string; number: number; key: string | null; n: number }>`
      SELECT a.slug, d.locale, r.number, f.key, count(*)::int AS n
        FROM form_deflections d
        JOIN articles a ON a.id = d.article_id
        JOIN article_revisions r ON r.id = d.revision_id
        LEFT JOIN forms f ON f.id = d.form_id
       GROUP BY 1, 2, 3, 4`.execute(handle.db);
    expect(rows.reduce((n, r) => n + r.n, 0)).toBe(result.deflections);
    expect(result.deflections).toBeGreaterThan(10);
    const shown = new Set(deflected.map((d) => `${d.slug}|${d.articleLocale}|${d.revision}|${d.form}`));
    for (const row of rows) expect(shown.has(`${row.slug}|${row.locale}|${row.number}|${row.key}`)).toBe(true);
    expect(new Set(rows.map((r) => r.locale)).size).toBeGreaterThan(1);
  });

  it('adds nothing when run again', async () => {
    const count = async () =>
      (
        await sql<{ n: string }>`SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM form_submissions)
                                   + (SELECT count(*) FROM form_deflections) + (SELECT count(*) FROM form_versions) AS n`.execute(
          handle.db,
        )
      ).rows[0]!.n;
    const before = await count();
    await seedFeedback(handle.db, { now: NOW, sessions });
    expect(await count()).toBe(before);
  });

  it('sends the form with every contact event of the simulation', () => {
    const messages = sessions.flatMap((s) => sessionMessages(s));
    const contact = messages.filter((m) => m.type === 'track' && String(m.event).startsWith('Contact Form'));
    expect(contact.length).toBeGreaterThan(100);
    for (const m of contact)
      expect(m.type === 'track' && (m.properties as { form?: string }).form, String(m.event)).toBeTruthy();
    const events = new Set(contact.map((m) => (m.type === 'track' ? m.event : '')));
    expect([...events].sort()).toEqual([
      'Contact Form Deflected',
      'Contact Form Step Completed',
      'Contact Form Submitted',
      'Contact Form Suggestion Clicked',
      'Contact Form Suggestion Shown',
      'Contact Form Viewed',
    ]);
  });
});
