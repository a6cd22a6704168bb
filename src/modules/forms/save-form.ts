import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Bus } from '../../shared/bus.js';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../accounts/index.js';
import { type LoadedForm, loadCurrentForm } from './forms.queries.js';
import { ZCreateFormRequest, ZUpdateFormRequest } from './forms.schema.js';

export interface FormWriteOptions {
  /** forms.changed is emitted after commit. */
  bus?: Bus | undefined;
  actor?: AuditActor | undefined;
}

/** What the audit log keeps of a form: not the texts, their shape (fields, types, conditions) and a version. */
function auditView(form: { key: string; version: number; enabled: boolean; position: number; fields: number }) {
  return { ...form };
}

/** Creates a form at version 1 (409 FORM_EXISTS when the key is taken). */
export async function createForm(
  db: DB,
  input: z.input<typeof ZCreateFormRequest>,
  options: FormWriteOptions = {},
): Promise<LoadedForm> {
  const req = ZCreateFormRequest.parse(input);
  const actor = options.actor ?? SYSTEM_ACTOR;
  await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('forms').select('id').where('key', '=', req.key).executeTakeFirst();
    if (taken) throw new AppError('FORM_EXISTS', `a form "${req.key}" already exists`);
    const position =
      req.position ??
      Number(
        (
          await trx
            .selectFrom('forms')
            .select((eb) => eb.fn.max('position').as('max'))
            .executeTakeFirst()
        )?.max ?? -1,
      ) + 1;
    const form = await trx
      .insertInto('forms')
      .values({ key: req.key, current_version: 1, enabled: req.enabled ?? true, position })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!form) throw new AppError('FORM_EXISTS', `a form "${req.key}" already exists`);
    await trx
      .insertInto('form_versions')
      .values({
        form_id: form.id,
        version: 1,
        definition: JSON.stringify(req.definition),
        created_by: actor.label.slice(0, 320),
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'form.create',
      object: { type: 'form', id: req.key },
      before: null,
      after: auditView({
        key: req.key,
        version: 1,
        enabled: req.enabled ?? true,
        position,
        fields: req.definition.fields.length,
      }),
    });
  });
  const created = (await loadCurrentForm(db, req.key)) as LoadedForm;
  options.bus?.emit('forms.changed', { key: created.key, version: created.version });
  return created;
}

/**
 * Changes a form: a definition different from the current one becomes a new version (old submissions keep theirs);
 * enabled and position change in place. 404 when there is no such form.
 */
export async function updateForm(
  db: DB,
  key: string,
  input: z.input<typeof ZUpdateFormRequest>,
  options: FormWriteOptions = {},
): Promise<LoadedForm> {
  const req = ZUpdateFormRequest.parse(input);
  const actor = options.actor ?? SYSTEM_ACTOR;
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('forms as f')
      .innerJoin('form_versions as v', (join) =>
        join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.current_version'),
      )
      .select(['f.id', 'f.current_version', 'f.enabled', 'f.position', 'v.definition'])
      .where('f.key', '=', key)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound(`form "${key}"`);
    let version = current.current_version;
    if (req.definition && !isDeepStrictEqual(req.definition, current.definition)) {
      version += 1;
      await trx
        .insertInto('form_versions')
        .values({
          form_id: current.id,
          version,
          definition: JSON.stringify(req.definition),
          created_by: actor.label.slice(0, 320),
        })
        .execute();
    }
    const enabled = req.enabled ?? current.enabled;
    const position = req.position ?? current.position;
    await trx
      .updateTable('forms')
      .set({ current_version: version, enabled, position, updated_at: new Date() })
      .where('id', '=', current.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'form.update',
      object: { type: 'form', id: key },
      before: auditView({
        key,
        version: current.current_version,
        enabled: current.enabled,
        position: current.position,
        fields: current.definition.fields.length,
      }),
      after: auditView({
        key,
        version,
        enabled,
        position,
        fields: (req.definition ?? current.definition).fields.length,
      }),
    });
  });
  const updated = (await loadCurrentForm(db, key)) as LoadedForm;
  options.bus?.emit('forms.changed', { key: updated.key, version: updated.version });
  return updated;
}
