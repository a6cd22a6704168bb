import { createContext, type ReactNode, use } from 'react';
import { can, type Permission } from '../../../src/shared/permissions.js';
import type { SessionResponse, UserView } from '../api/contract.js';

const SessionContext = createContext<SessionResponse | null>(null);

export function SessionProvider({ session, children }: { session: SessionResponse; children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

/** The signed-in user (screens render only inside a session). */
export function useUser(): UserView {
  const session = use(SessionContext);
  if (!session) throw new Error('useUser outside a session');
  return session.user;
}

/** True when the signed-in user's role grants the permission: the same matrix the server enforces. */
export function useCan(permission: Permission): boolean {
  const session = use(SessionContext);
  return session ? can(session.user.role, permission) : false;
}

/**
 * True when the user may write this content locale: content.write for every locale, or translations.write
 * limited to a translator's assigned locales (the server's assertLocaleAllowed).
 */
export function useCanWriteLocale(): (locale: string) => boolean {
  const session = use(SessionContext);
  return (locale) => {
    if (!session) return false;
    const { role, locales } = session.user;
    if (can(role, 'content.write')) return true;
    return can(role, 'translations.write') && (role !== 'translator' || locales.includes(locale));
  };
}
