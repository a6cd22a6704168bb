import type { DB } from '../../db/client.js';
import { SUPPORTED_LOCALES } from '../../shared/locales.js';

/**
 * The content locales every back-office view lists (each article row has a key per locale). The one place the
 * content module asks which locales are configured: repoint it at the runtime locale catalogue when locales become
 * data. It takes the database so that catalogue can live there.
 */
export async function contentLocalesOf(_db: DB): Promise<readonly string[]> {
  return SUPPORTED_LOCALES;
}
