import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { fileFormTicket, newTicketReference } from './file-ticket.js';
import { validateAnswers } from './form-logic.js';
import { billingFormDefinition, buildForm } from './forms.factories.js';
import { loadCurrentForm } from './forms.queries.js';
import { updateForm } from './save-form.js';

describe('filing a form submission', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('versions a form on a changed definition only, and files ticket, submission and outbox row together', async () => {
    const created = await buildForm(t.ctx.db);
    expect(created.version).toBe(1);
    const same = await updateForm(t.ctx.db, 'billing', { definition: billingFormDefinition() });
    expect(same.version).toBe(1);
    const changed = billingFormDefinition();
    changed.title.es = 'Facturación';
    const v2 = await updateForm(t.ctx.db, 'billing', { definition: changed, position: 3 });
    expect(v2).toMatchObject({ version: 2, position: 3 });
    const form = (await loadCurrentForm(t.ctx.db, 'billing'))!;

    const { answers, problems } = validateAnswers(form.definition, {
      problem: 'charged_twice',
      charge_date: '2026-11-30',
      amount: 12.5,
      order_id: 'hidden, so stripped',
      subject: 'Charged twice',
      description: 'Two charges on my card',
      email: 'ana@example.com',
    });
    expect(problems).toEqual([]);
    expect(answers).not.toHaveProperty('order_id');
    const filed = await fileFormTicket(
      t.ctx.db,
      {
        form: { id: form.id, key: form.key, version: form.version },
        locale: 'en',
        answers,
        context: { article: 'none' },
        subject: 'Charged twice',
        body: 'Two charges on my card',
        requesterEmail: 'ana@example.com',
        prediction: { category: 'billing', confidence: 0.7, modelVersion: null },
        networkKey: 'net:test',
        attachments: [],
      },
      { config: t.config.feedback, requesterKey: t.ctx.keys.requesterEmail, forward: true },
    );
    expect(filed.reference).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    const ticket = await t.ctx.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', filed.ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ reference: filed.reference, source: 'contact_form', locale: 'en' });
    const submission = await t.ctx.db.selectFrom('form_submissions').selectAll().executeTakeFirstOrThrow();
    expect(submission).toMatchObject({ form_version: 2, answers: { problem: 'charged_twice', amount: 12.5 } });
    const delivery = await t.ctx.db.selectFrom('helpdesk_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0, delivery_id: filed.deliveryId });
  });

  it('writes nothing when any part fails', async () => {
    const form = (await loadCurrentForm(t.ctx.db, 'billing'))!;
    const before = await t.ctx.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      fileFormTicket(
        t.ctx.db,
        {
          form: { id: form.id, key: form.key, version: 99 },
          locale: 'en',
          answers: {},
          context: {},
          subject: 'x',
          body: '',
          prediction: null,
          networkKey: 'net:test',
          attachments: [],
        },
        { config: t.config.feedback, requesterKey: t.ctx.keys.requesterEmail, forward: true },
      ),
    ).rejects.toThrow();
    const after = await t.ctx.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('draws references from 32 letters and digits', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newTicketReference()));
    expect(seen.size).toBe(2000);
    for (const ref of seen) expect(ref).not.toMatch(/[ILOU]/);
  });
});
