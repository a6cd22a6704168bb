import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { canonicalAddress } from '../../shared/client-network.js';
import { loadCurrentForm } from './forms.queries.js';
import { verifySuggestionToken } from './suggestion-token.js';

/** Deflections a network may have counted in a day; beyond, "This answered my question" is thanked but not counted. */
export const DEFLECTIONS_PER_NETWORK_PER_DAY = 30;

export interface DeflectionClient {
  /** The signed reader cookie's id, when the request proved one. */
  readerId: string | null;
  ip: string;
  userAgent: string | undefined;
  /** Keyed hash of the client network (networkKeyOf). */
  networkKey: string;
}

export interface RecordDeflectionOptions {
  /** ctx.keys.forms: verifies the suggestion token. */
  formsKey: Buffer;
  /** ctx.keys.network: hashes address and user agent when the reader has no cookie. */
  networkKey: Buffer;
  perNetworkPerDay?: number;
  now?: Date;
}

/**
 * Who said "This answered my question": the reader cookie's id, else a keyed hash of the address and user agent (a
 * reader without cookies still counts once a day per article, and the stored key can't be turned back into either).
 */
export function deflectionReaderKey(key: Buffer, client: DeflectionClient): string {
  if (client.readerId) return `r:${client.readerId}`.slice(0, 100);
  const hash = createHmac('sha256', key)
    .update(`forms-deflection:${canonicalAddress(client.ip)}\u0000${client.userAgent ?? ''}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  return `h:${hash}`;
}

/**
 * Credits a deflection to the article, revision and locale a suggestion token names: only suggestions this server
 * signed for this form count, at most once per reader, article and day, and at most `perNetworkPerDay` per network.
 * `counted` is false for a repeat, over the budget, or when the article was deleted since. A forged or expired token
 * is 400 FORM_TOKEN_INVALID; an unknown or disabled form 404.
 */
export async function recordDeflection(
  db: DB,
  input: { form: string; token: string; client: DeflectionClient },
  options: RecordDeflectionOptions,
): Promise<{ counted: boolean }> {
  const form = await loadCurrentForm(db, input.form);
  if (!form?.enabled) throw notFound(`form "${input.form}"`);
  const claim = verifySuggestionToken(options.formsKey, input.token, options.now);
  if (!claim || claim.form !== form.key) {
    throw new AppError('FORM_TOKEN_INVALID', 'this suggestion can no longer be credited; it is unknown or too old', [
      { path: 'token', message: 'not a suggestion this help center showed in the last 2 hours' },
    ]);
  }
  const readerKey = deflectionReaderKey(options.networkKey, input.client);
  const budget = options.perNetworkPerDay ?? DEFLECTIONS_PER_NETWORK_PER_DAY;
  return db.transaction().execute(async (trx) => {
    // One network's clicks take turns, so a burst can't all read the same count and all pass the budget.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`forms-deflection:${input.client.networkKey}`}))`.execute(trx);
    const used = await trx
      .selectFrom('form_deflections')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('network_key', '=', input.client.networkKey)
      .where('day', '=', sql<string>`current_date`)
      .executeTakeFirst();
    if (Number(used?.n ?? 0) >= budget) return { counted: false };
    // The article may have been deleted and the revision replaced since the suggestion was shown.
    const { rows } = await sql<{ id: string }>`
      INSERT INTO form_deflections (form_id, article_id, revision_id, locale, reader_key, network_key)
      SELECT ${form.id}, a.id, (SELECT r.id FROM article_revisions r WHERE r.id = ${claim.revisionId}),
             ${claim.locale}, ${readerKey}, ${input.client.networkKey}
        FROM articles a WHERE a.id = ${claim.articleId}
      ON CONFLICT (reader_key, article_id, day) DO NOTHING
      RETURNING id`.execute(trx);
    return { counted: rows.length > 0 };
  });
}
