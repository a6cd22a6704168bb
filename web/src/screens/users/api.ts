import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type {
  CreateUserRequest,
  CreateUserResponse,
  UpdateUserRequest,
  UserResponse,
  UsersResponse,
} from '../../api/contract.js';

export const USERS_KEY = ['users'] as const;

export function useUsers() {
  return useQuery({ queryKey: USERS_KEY, queryFn: () => api<UsersResponse>('/api/users') });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) => api<CreateUserResponse>('/api/users', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserRequest & { id: number }) =>
      api<UserResponse>(`/api/users/${id}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useRevokeSessions() {
  return useMutation({
    mutationFn: (id: number) => api<{ revoked: number }>(`/api/users/${id}/sessions`, { method: 'DELETE' }),
  });
}
