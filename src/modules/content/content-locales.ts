import type { DB } from '../../db/client.js';
import { readLocaleConfigs } from './locale-catalog.js';

/**
 * The content locales every back-office view lists (each article row has a key per locale): the configured ones,
 * disabled ones included (an editor still sees and prepares their translations), in the configured order.
 */
export async function contentLocalesOf(db: DB): Promise<readonly string[]> {
  return (await readLocaleConfigs(db)).map((locale) => locale.code);
}
