import type { DB } from '../../db/client.js';
import { readerVote } from './submit-vote.js';

/** ask: the question; yes: thanked; no: asking what went wrong; done: thanked for the details. */
export type VoteState = 'ask' | 'yes' | 'no' | 'done';
export const VOTE_STATES = ['ask', 'yes', 'no', 'done'] as const satisfies readonly VoteState[];

/**
 * Where the vote widget stands for one reader on one revision, from their stored vote (so it can be changed later).
 * A reader without an identity has not voted: no query.
 */
export async function readVoteState(db: DB, readerId: string | undefined, revisionId: number): Promise<VoteState> {
  const vote = readerId ? await readerVote(db, readerId, revisionId) : null;
  if (!vote) return 'ask';
  if (vote.helpful) return 'yes';
  return vote.reason || vote.hasComment ? 'done' : 'no';
}
