import { createHash } from 'node:crypto';
import type { FeedbackConfig } from '../../config/env.js';
import type { DB } from '../../db/client.js';
import { requesterValue, type TicketStatus } from '../../modules/feedback/index.js';
import { type Answers, type LoadedForm, newTicketReference } from '../../modules/forms/index.js';
import { mulberry32 } from '../../shared/random.js';
import { revisionsByKey } from './demo-revisions.js';
import { demoTicketId } from './seed-events.js';
import { DEMO_FORM_JOURNEYS, demoFormAnswers, seedForms } from './seed-forms.js';
import type { SimSession, SimStep } from './simulate-activity.js';

/** Rows per multi-row INSERT. */
const CHUNK = 500;

export interface SeedFormTicketsResult {
  /** Contact-form submissions of the simulation (filed now or by an earlier run). */
  tickets: number;
  deflections: number;
}

/** A stable, non-reversible stand-in for a simulated reader's network and identity (the demo has no addresses). */
function demoKey(kind: string, value: string): string {
  return `demo:${createHash('sha256').update(`${kind}|${value}`).digest('hex').slice(0, 32)}`;
}

/**
 * The simulated sessions' contact-form submissions as the forms would have filed them: a contact_form ticket with
 * a reference, and its form_submissions row (form version, answers the form accepts, context with the article the
 * reader came from); and the deflections of readers a suggestion answered. Written in multi-row inserts; safe to
 * run again (tickets are keyed by their session, deflections by reader, article and day).
 */
export async function seedFormTickets(
  db: DB,
  sessions: SimSession[],
  options: { config: FeedbackConfig; requesterKey: Buffer; now: Date },
): Promise<SeedFormTicketsResult> {
  const forms = new Map((await seedForms(db)).forms.map((f) => [f.key, f]));
  const formOf = (key: string | undefined, slug: string | undefined): LoadedForm => {
    const form = forms.get(key ?? DEMO_FORM_JOURNEYS.formFor(slug));
    if (!form) throw new Error(`no demo form "${key}"`);
    return form;
  };
  const articleIds = new Map(
    (await db.selectFrom('articles').select(['id', 'slug']).execute()).map((a) => [a.slug, a.id]),
  );
  const revisions = await revisionsByKey(db);
  // The statuses draw from the generator the demo always used, in the same order, so they did not change.
  const random = mulberry32(99);
  const filed: {
    ticket: {
      external_id: string;
      subject: string;
      body: string;
      channel: string;
      locale: string;
      requester: string | null;
      status: TicketStatus;
      source_article_id: number | null;
      source: 'contact_form';
      reference: string;
      created_at: Date;
      updated_at: Date;
    };
    form: LoadedForm;
    answers: Answers;
    context: Record<string, string | number>;
    networkKey: string;
  }[] = [];
  const deflections = new Map<
    string,
    {
      form_id: number | null;
      article_id: number;
      revision_id: number | null;
      locale: string;
      reader_key: string;
      network_key: string;
      day: string;
      created_at: Date;
    }
  >();
  for (const session of sessions) {
    const read = new Map<string, number>();
    let query: string | undefined;
    for (const step of session.steps) {
      if (step.type === 'article_view') read.set(step.slug, step.revision);
      if (step.type === 'search') query = step.query;
      if (step.type === 'contact_deflected') {
        // One per reader, article and day, as the endpoint counts them: the first one stands.
        const row = deflectionRow(step, session, forms, revisions);
        const key = `${row.reader_key}|${row.article_id}|${row.day}`;
        if (!deflections.has(key)) deflections.set(key, row);
      }
      if (step.type !== 'contact_submit') continue;
      const ageDays = (options.now.getTime() - step.at.getTime()) / 86_400_000;
      const status: TicketStatus =
        ageDays > 14
          ? random() < 0.8
            ? 'solved'
            : 'closed'
          : (['new', 'open', 'pending'] as const)[Math.floor(random() * 3)]!;
      const form = formOf(step.form, step.slug);
      const email = `${session.anonymousId}@readers.example`;
      const answers = demoFormAnswers(form.definition, {
        random: mulberry32(Number.parseInt(createHash('sha256').update(session.id).digest('hex').slice(0, 8), 16)),
        subject: step.subject.slice(0, 200) || 'Question',
        body: step.body,
        email,
        at: step.at,
        about: step.about ?? step.slug,
        region: session.region,
      });
      const context: Record<string, string | number> = { locale: session.locale, region: session.region };
      if (step.slug) {
        context.article = step.slug;
        const revision = read.get(step.slug);
        if (revision !== undefined) context.revision = revision;
      }
      if (query) context.query = query.slice(0, 200);
      // Hidden fields carry the context, as the server fills them.
      for (const field of form.definition.fields) {
        const value = field.type === 'hidden' && field.context ? context[field.context] : undefined;
        if (value !== undefined) answers[field.name] = String(value);
      }
      const subject = typeof answers.subject === 'string' ? answers.subject : step.subject.slice(0, 300);
      const body = typeof answers.description === 'string' ? answers.description : step.body;
      filed.push({
        ticket: {
          external_id: demoTicketId(session),
          subject: subject || 'Question',
          body: body.slice(0, 20_000),
          channel: 'web',
          locale: session.locale,
          requester: requesterValue(
            typeof answers.email === 'string' ? answers.email : undefined,
            options.config,
            options.requesterKey,
          ),
          status,
          source_article_id: step.slug ? (articleIds.get(step.slug) ?? null) : null,
          source: 'contact_form',
          reference: newTicketReference(),
          created_at: step.at,
          updated_at: step.at,
        },
        form,
        answers,
        context,
        networkKey: demoKey('network', `${session.anonymousId}|${session.region}`),
      });
    }
  }
  for (let i = 0; i < filed.length; i += CHUNK) {
    const chunk = filed.slice(i, i + CHUNK);
    await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('tickets')
        .values(chunk.map((f) => f.ticket))
        .onConflict((oc) => oc.column('external_id').doNothing())
        .returning(['id', 'external_id'])
        .execute();
      const ids = new Map(inserted.map((r) => [r.external_id, r.id]));
      const submissions = chunk.flatMap((f) => {
        const id = ids.get(f.ticket.external_id);
        if (id === undefined) return [];
        return [
          {
            ticket_id: id,
            form_id: f.form.id,
            form_version: f.form.version,
            locale: f.ticket.locale,
            answers: JSON.stringify(f.answers),
            context: JSON.stringify(f.context),
            prediction: null,
            network_key: f.networkKey,
            created_at: f.ticket.created_at,
          },
        ];
      });
      if (submissions.length > 0) await trx.insertInto('form_submissions').values(submissions).execute();
    });
  }
  const deflected = [...deflections.values()];
  for (let i = 0; i < deflected.length; i += CHUNK) {
    await db
      .insertInto('form_deflections')
      .values(deflected.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['reader_key', 'article_id', 'day']).doNothing())
      .execute();
  }
  return { tickets: filed.length, deflections: deflected.length };
}

function deflectionRow(
  step: Extract<SimStep, { type: 'contact_deflected' }>,
  session: SimSession,
  forms: Map<string, LoadedForm>,
  revisions: Awaited<ReturnType<typeof revisionsByKey>>,
) {
  // Credited to the translation and revision the reader was shown (else the published one, else the source's).
  const revision =
    revisions.get(`${step.slug}|${step.articleLocale}|${step.revision}`) ??
    revisions.get(`${step.slug}|${step.articleLocale}`) ??
    revisions.get(`${step.slug}|en`);
  if (!revision) throw new Error(`no article "${step.slug}" for a simulated deflection`);
  return {
    form_id: forms.get(step.form)?.id ?? null,
    article_id: revision.articleId,
    revision_id: revision.revisionId,
    locale: step.articleLocale,
    reader_key: demoKey('reader', session.anonymousId),
    network_key: demoKey('network', `${session.anonymousId}|${session.region}`),
    day: step.at.toISOString().slice(0, 10),
    created_at: step.at,
  };
}
