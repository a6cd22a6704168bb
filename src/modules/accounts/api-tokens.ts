import type { Selectable } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { ApiTokensTable } from './accounts.tables.js';
import type { TokenView } from './accounts.schema.js';
import { TOKEN_PREFIX } from './authenticator.js';
import { randomSecret, sha256 } from './passwords.js';
import { type AuditActor, recordAudit } from './record-audit.js';

/** Characters of a token shown in lists: `al_pat_` and the first 5 of its random part. */
const SHOWN_PREFIX = TOKEN_PREFIX.length + 5;

/** The one presenter of a personal API token: never its hash. */
export function presentToken(row: Selectable<ApiTokensTable>): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** A user's tokens, newest first. */
export async function listTokens(db: DB, userId: number): Promise<TokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(presentToken);
}

/** Creates a personal API token carrying its user's role; the secret is returned once and only its hash is kept. */
export async function createToken(
  db: DB,
  input: { userId: number; name: string; expiresInDays?: number | undefined },
  options: { actor: AuditActor },
): Promise<{ token: TokenView; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const row = await db.transaction().execute(async (trx) => {
    const live = await trx
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', input.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= LIMITS.apiTokensPerUser) {
      throw new AppError('CONFLICT', `you have ${LIMITS.apiTokensPerUser} live tokens; revoke one first`);
    }
    const created = await trx
      .insertInto('api_tokens')
      .values({
        user_id: input.userId,
        name: input.name,
        prefix: secret.slice(0, SHOWN_PREFIX),
        token_hash: sha256(secret),
        expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'token.create',
      object: { type: 'token', id: created.id },
      before: null,
      after: { name: created.name, prefix: created.prefix, userId: input.userId, expiresAt: created.expires_at },
    });
    return created;
  });
  return { token: presentToken(row), secret };
}

/** Revokes one of the user's own tokens (404 for anyone else's). Revoking a revoked token changes nothing. */
export async function revokeToken(
  db: DB,
  input: { userId: number; tokenId: number },
  options: { actor: AuditActor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', input.tokenId)
      .where('user_id', '=', input.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`token ${input.tokenId}`);
    if (row.revoked_at) return;
    await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', row.id).execute();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'token.revoke',
      object: { type: 'token', id: row.id },
      before: { revoked: false },
      after: { revoked: true },
    });
  });
}
