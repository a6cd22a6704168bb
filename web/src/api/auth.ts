import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client.js';
import type { LoginRequest, SessionResponse, UpdateMeRequest, UserResponse } from './contract.js';

export const ME_KEY = ['auth', 'me'] as const;

/**
 * Drops every cached answer except the session itself: a new user must not see the last one's data. (Clearing the
 * whole cache would also detach the app's own subscription to the session query.)
 */
function forgetOtherUsersData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
}

/** The signed-in user with permissions, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<SessionResponse | null> => {
      try {
        const session = await api<SessionResponse>('/api/auth/me');
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api<SessionResponse>('/api/auth/login', { method: 'POST', body }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      forgetOtherUsersData(client);
      client.setQueryData(ME_KEY, session);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ signedOut: true }>('/api/auth/logout', { method: 'POST', body: {} }),
    onSettled: () => {
      setCsrfToken(null);
      forgetOtherUsersData(client);
      client.setQueryData(ME_KEY, null);
    },
  });
}

/** Changes the signed-in user's own profile (name, UI language, password). */
export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeRequest) => api<UserResponse>('/api/auth/me', { method: 'PATCH', body }),
    onSuccess: ({ user }) => {
      client.setQueryData<SessionResponse | null>(ME_KEY, (old) => (old ? { ...old, user } : old));
    },
  });
}
