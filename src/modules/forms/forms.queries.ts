import type { DB } from '../../db/client.js';
import type { FormDefinition } from './form-logic.js';

/** One version of a form as stored. */
export interface LoadedForm {
  id: number;
  key: string;
  version: number;
  enabled: boolean;
  position: number;
  definition: FormDefinition;
  updatedAt: Date;
}

/** A form's current version, or null when there is no form with this key. */
export async function loadCurrentForm(db: DB, key: string): Promise<LoadedForm | null> {
  const row = await db
    .selectFrom('forms as f')
    .innerJoin('form_versions as v', (join) =>
      join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.current_version'),
    )
    .select(['f.id', 'f.key', 'f.current_version', 'f.enabled', 'f.position', 'f.updated_at', 'v.definition'])
    .where('f.key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    key: row.key,
    version: row.current_version,
    enabled: row.enabled,
    position: row.position,
    definition: row.definition,
    updatedAt: row.updated_at,
  };
}

/** One stored version of a form (what an old submission answered), or null. */
export async function loadFormVersion(db: DB, formId: number, version: number): Promise<FormDefinition | null> {
  const row = await db
    .selectFrom('form_versions')
    .select('definition')
    .where('form_id', '=', formId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.definition ?? null;
}

/** Every form's current version in contact-page order (position, then key). */
export async function listCurrentForms(db: DB): Promise<LoadedForm[]> {
  const rows = await db
    .selectFrom('forms as f')
    .innerJoin('form_versions as v', (join) =>
      join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.current_version'),
    )
    .select(['f.id', 'f.key', 'f.current_version', 'f.enabled', 'f.position', 'f.updated_at', 'v.definition'])
    .orderBy('f.position')
    .orderBy('f.key')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    version: row.current_version,
    enabled: row.enabled,
    position: row.position,
    definition: row.definition,
    updatedAt: row.updated_at,
  }));
}
