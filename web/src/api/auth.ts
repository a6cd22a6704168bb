import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client.js';
import type { LoginRequest, SessionResponse, UpdateMeRequest, UserResponse } from './contract.js';

export const ME_KEY = ['auth', 'me'] as const;

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
      client.clear();
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
      client.clear();
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
