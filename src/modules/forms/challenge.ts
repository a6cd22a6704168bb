import { createHash } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import { sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/client.js';

/**
 * The proof-of-work challenge (ALTCHA, self-hosted): find the number n ≤ maxnumber with SHA-256(salt + n) equal to
 * the challenge. 50,000 means 25,000 hashes on average: a few tens of milliseconds with Web Crypto on a phone, while
 * a bot pays that per submission. The signature is an HMAC with the forms key, so only challenges we issued verify.
 */
export const CHALLENGE_MAX_NUMBER = 50_000;
/** A challenge must be solved and used within this time. */
export const CHALLENGE_TTL_MS = 20 * 60_000;

/** The challenge as GET /api/forms/challenge answers it (ALTCHA's v1 JSON, which the widget and island read). */
export const ZFormChallenge = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string(),
  maxnumber: z.number().int(),
  salt: z.string(),
  signature: z.string(),
});
export type FormChallenge = z.infer<typeof ZFormChallenge>;

/** The solution the island sends back, base64 JSON of this. */
const ZSolution = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string().regex(/^[0-9a-f]{64}$/),
  number: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  salt: z.string().min(1).max(200),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A new challenge signed with the forms key (ctx.keys.forms), expiring in 20 minutes. */
export async function createFormChallenge(key: Buffer, now: Date = new Date()): Promise<FormChallenge> {
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    hmacKey: key.toString('hex'),
    maxnumber: CHALLENGE_MAX_NUMBER,
    expires: new Date(now.getTime() + CHALLENGE_TTL_MS),
  });
  return ZFormChallenge.parse(challenge);
}

/** A verified solution not spent yet: `spend` records it, so it can't be used again. */
export interface VerifiedSolution {
  signatureHash: string;
  expiresAt: Date;
}

/**
 * Checks a solution's proof of work, signature and expiry (not whether it was used: see spendSolution). Returns
 * null for anything that isn't a valid solution of a challenge we issued, including text that isn't base64 JSON.
 */
export async function verifyFormSolution(key: Buffer, payload: string): Promise<VerifiedSolution | null> {
  let parsed: z.infer<typeof ZSolution>;
  try {
    const result = ZSolution.safeParse(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')));
    if (!result.success) return null;
    parsed = result.data;
  } catch {
    return null;
  }
  const expires = Number(extractParams(parsed).expires);
  // Every challenge we issue carries its expiry inside the signed salt.
  if (!Number.isInteger(expires)) return null;
  if (!(await verifySolution(parsed, key.toString('hex'), true))) return null;
  return {
    signatureHash: createHash('sha256').update(parsed.signature).digest('hex'),
    expiresAt: new Date(expires * 1000),
  };
}

/**
 * Records a verified solution as used; false when it was used before (a replay). Shared by every process on the
 * database. Spent solutions whose challenge has expired are deleted now and then (they can't verify any more).
 */
export async function spendSolution(db: DB, solution: VerifiedSolution, now: Date = new Date()): Promise<boolean> {
  const { rows } = await sql<{ signature_hash: string }>`
    INSERT INTO form_challenge_uses (signature_hash, expires_at)
    VALUES (${solution.signatureHash}, ${solution.expiresAt})
    ON CONFLICT (signature_hash) DO NOTHING
    RETURNING signature_hash`.execute(db);
  if (Math.random() < 1 / 50) await sql`DELETE FROM form_challenge_uses WHERE expires_at < ${now}`.execute(db);
  return rows.length === 1;
}
