import { AppError } from '../../server/errors.js';
import type { Role } from '../../shared/permissions.js';
import type { AuditActor } from '../accounts/index.js';
import { SYSTEM_ACTOR } from '../accounts/index.js';

/**
 * Who makes a content write: the audit actor, plus (for a request's caller) the role and locales that limit what a
 * translator may touch. The CLI and seeding pass an actor without a role: they are not limited.
 */
export interface ContentActor extends AuditActor {
  role?: Role;
  locales?: readonly string[];
}

/** The actor of writes made without one (seeding, tests' factories). */
export const DEFAULT_CONTENT_ACTOR: ContentActor = SYSTEM_ACTOR;

export function isTranslator(actor: ContentActor): boolean {
  return actor.role === 'translator';
}

/**
 * A translator may change only translations in their own locales, never the article's source language (the source
 * is the editors'). Everyone else may change any locale.
 */
export function assertMayEditTranslation(actor: ContentActor, locale: string, sourceLocale: string): void {
  if (!isTranslator(actor)) return;
  const mine = actor.locales ?? [];
  if (!mine.includes(locale)) {
    throw new AppError('FORBIDDEN', `you translate ${mine.join(', ') || 'no locale yet'}, not ${locale}`);
  }
  if (locale === sourceLocale) {
    throw new AppError(
      'FORBIDDEN',
      `${locale} is this article's source language, which editors change, not translators`,
    );
  }
}

/** A translator may not create articles or change an article's topic or position. */
export function forbidForTranslator(actor: ContentActor, what: string): void {
  if (isTranslator(actor)) throw new AppError('FORBIDDEN', `translators may not ${what}; ask an editor`);
}

/** The name a revision records as its author: the user's label (email) when a user wrote it, else what was given. */
export function authorOf(actor: ContentActor, given: string): string {
  return actor.userId !== null ? actor.label.slice(0, 120) : given;
}
