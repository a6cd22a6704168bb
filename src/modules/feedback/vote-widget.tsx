import type { FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import type { DB } from '../../db/client.js';
import { LIMITS } from '../../shared/limits.js';
import { directionOf } from '../../shared/locales.js';
import type { HelpfulCount } from './count-helpful-votes.js';
import { VOTE_REASONS } from './feedback.tables.js';
import { readVoteState, type VoteState } from './read-vote-state.js';

export type { VoteState };
/** A problem shown after a form post without JavaScript; 'changed': a new revision was published meanwhile. */
export type VoteMessage = 'error' | 'limited' | 'changed' | null;

export interface VoteWidgetState {
  state: VoteState;
  message: VoteMessage;
}

/**
 * The widget's state for this reader and revision: from their stored vote (so it can be changed later), and from
 * the `?vote=` parameter a form post redirects back with.
 */
export async function voteStateFor(
  db: DB,
  request: FastifyRequest,
  readerId: string | undefined,
  revisionId: number,
): Promise<VoteWidgetState> {
  const query = request.query as Record<string, unknown>;
  const param = typeof query.vote === 'string' ? query.vote : '';
  const message: VoteMessage = param === 'error' || param === 'limited' || param === 'changed' ? param : null;
  if (param === 'change') return { state: 'ask', message };
  return { state: await readVoteState(db, readerId, revisionId), message };
}

/**
 * The widget as every reader first sees it (the question), for pages shared by all readers: the vote island then
 * asks `GET /api/articles/:slug/vote` for this reader's own state.
 */
export const SHARED_VOTE_STATE: VoteWidgetState = { state: 'ask', message: null };

export interface VoteWidgetProps {
  t: TFunction;
  /** The page's language. */
  locale: string;
  slug: string;
  /** The language of the text shown (differs from `locale` on a fallback). */
  articleLocale: string;
  revision: number;
  state: VoteWidgetState;
  /** The page is shared by every reader: the island loads this reader's state (`data-vote-load`). */
  loadState?: boolean;
  /** Counted votes on the revision shown, once there are enough to say something; the same for every reader. */
  helpful?: HelpfulCount | null | undefined;
}

function Hidden({ articleLocale, revision, t }: { articleLocale: string; revision: number; t: TFunction }) {
  return (
    <>
      <input type="hidden" name="revision" value={String(revision)} />
      <input type="hidden" name="articleLocale" value={articleLocale} />
      {/* Honeypot: hidden from people (and from assistive technology); bots that fill every field give themselves away. */}
      <div class="vote-hp" aria-hidden="true" inert>
        <label>
          {t('vote.honeypot')}
          <input type="text" name="website" tabIndex={-1} autocomplete="off" />
        </label>
      </div>
    </>
  );
}

/**
 * "Was this article helpful?": plain forms that post to the server, so it works without JavaScript. Every state is
 * rendered (CSS shows the one in `data-state`); the vote island only switches states and posts JSON instead.
 */
export function VoteWidget({ t, locale, slug, articleLocale, revision, state, loadState, helpful }: VoteWidgetProps) {
  const action = `/${locale}/articles/${slug}/vote`;
  // The contact page opens with the article as context, so the ticket says which article did not help.
  const contact = `/${locale}/contact?${new URLSearchParams({ article: slug, revision: String(revision) })}`;
  const hidden = <Hidden articleLocale={articleLocale} revision={revision} t={t} />;
  const contactPrompt = (
    <p class="vote-contact">
      {t('vote.contactPrompt')} <a href={contact}>{t('vote.contact')}</a>
    </p>
  );
  const change = (
    <a class="vote-change" href={`?vote=change#vote`} data-vote-change="">
      {t('vote.change')}
    </a>
  );
  return (
    <section
      class="vote"
      id="vote"
      lang={locale}
      dir={directionOf(locale)}
      aria-labelledby="vote-title"
      data-vote=""
      data-state={state.state}
      data-slug={slug}
      data-article-locale={articleLocale}
      data-revision={String(revision)}
      data-vote-load={loadState ? '' : undefined}
    >
      <h2 id="vote-title">{t('vote.title')}</h2>
      {helpful ? (
        <p class="vote-summary" data-vote-summary="">
          {t('vote.summary', { count: helpful.total, helpful: helpful.helpful })}
        </p>
      ) : null}
      <p class="vote-message" role="alert" data-message="error" hidden={state.message !== 'error'}>
        {t('vote.error')}
      </p>
      <p class="vote-message" role="alert" data-message="limited" hidden={state.message !== 'limited'}>
        {t('vote.limited')}
      </p>
      <p class="vote-message" role="alert" data-message="changed" hidden={state.message !== 'changed'}>
        {t('vote.changed')}
      </p>
      <form class="vote-pane" data-pane="ask" method="post" action={action}>
        {hidden}
        <div class="vote-buttons">
          <button type="submit" name="helpful" value="yes" class="vote-button">
            {t('vote.yes')}
          </button>
          <button type="submit" name="helpful" value="no" class="vote-button">
            {t('vote.no')}
          </button>
        </div>
      </form>
      <div class="vote-pane" data-pane="yes">
        <p class="vote-thanks" role="status" tabIndex={-1} data-vote-focus="">
          {t('vote.thanksYes')}
        </p>
        {change}
      </div>
      <form class="vote-pane" data-pane="no" method="post" action={action}>
        {hidden}
        <input type="hidden" name="helpful" value="no" />
        <p class="vote-thanks" role="status" tabIndex={-1}>
          {t('vote.sorry')}
        </p>
        <fieldset class="vote-reasons">
          <legend>{t('vote.reasonsLegend')}</legend>
          {VOTE_REASONS.map((reason, i) => (
            <label key={reason} class="vote-reason">
              {/* After "No" the island moves focus to the first choice: the question the reader answers next. */}
              <input type="radio" name="reason" value={reason} data-vote-focus={i === 0 ? '' : undefined} />{' '}
              {t(`vote.reasons.${reason}`)}
            </label>
          ))}
        </fieldset>
        <label class="vote-comment" for="vote-comment">
          {t('vote.commentLabel')}
        </label>
        <textarea
          id="vote-comment"
          name="comment"
          rows={3}
          maxLength={LIMITS.voteComment}
          aria-describedby="vote-comment-hint"
        />
        <p id="vote-comment-hint" class="vote-hint">
          {t('vote.commentHint', { max: LIMITS.voteComment })}
        </p>
        <button type="submit" class="vote-send">
          {t('vote.send')}
        </button>
        {contactPrompt}
      </form>
      <div class="vote-pane" data-pane="done">
        <p class="vote-thanks" role="status" tabIndex={-1} data-vote-focus="">
          {t('vote.thanksNo')}
        </p>
        {contactPrompt}
        {change}
      </div>
    </section>
  );
}
