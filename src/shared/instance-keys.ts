import { hkdfSync, randomBytes } from 'node:crypto';
import type { DB } from '../db/client.js';

/** Keys derived from the installation's one stored secret; each purpose gets its own, so one can't forge another. */
export interface InstanceKeys {
  /** Signs the anonymous reader cookie (id and issue time). */
  readerIdentity: Buffer;
  /** HMAC key for requester emails stored as hashes, unless ANSWERLOOP_REQUESTER_HASH_KEY is set. */
  requesterEmail: Buffer;
  /** HMAC key for pseudonymous network and address keys kept in abuse budgets. */
  network: Buffer;
  /** Signs what the contact forms hand out: proof-of-work challenges, render tokens, suggestion tokens. */
  forms: Buffer;
}

const MASTER = 'master';

/** Reads the installation secret, creating it on first use (safe when several processes start at once). */
export async function loadInstanceSecret(db: DB, name = MASTER): Promise<Buffer> {
  await db
    .insertInto('instance_secrets')
    .values({ name, secret: randomBytes(32) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_secrets')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.secret);
}

/** Derives a purpose-bound key from the master secret (HKDF-SHA256). */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `answerloop:${purpose}`, 32));
}

/** The installation's keys, derived from its stored secret. */
export async function loadInstanceKeys(db: DB): Promise<InstanceKeys> {
  const master = await loadInstanceSecret(db);
  return {
    readerIdentity: deriveKey(master, 'reader-identity'),
    requesterEmail: deriveKey(master, 'requester-email'),
    network: deriveKey(master, 'network'),
    forms: deriveKey(master, 'forms'),
  };
}
