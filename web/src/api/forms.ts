import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ZCreateFormRequest,
  ZFormDetail,
  ZFormSummary,
  ZUpdateFormRequest,
} from '../../../src/modules/forms/forms.schema.js';
import { api } from './client.js';

export type FormSummary = z.infer<typeof ZFormSummary>;
export type FormDetail = z.infer<typeof ZFormDetail>;
export type CreateFormRequest = z.infer<typeof ZCreateFormRequest>;
export type UpdateFormRequest = z.infer<typeof ZUpdateFormRequest>;
export type { Condition, FieldOption, FormDefinition, FormField } from '../../../src/modules/forms/form-logic.js';

export const FORMS_KEY = ['forms'] as const;
const formPath = (key: string) => `/api/forms/${encodeURIComponent(key)}`;

/** Every contact form with its current version, completed locales and recent submissions (GET /api/forms). */
export function useForms() {
  return useQuery({
    queryKey: FORMS_KEY,
    queryFn: ({ signal }) => api<{ forms: FormSummary[] }>('/api/forms', { signal }),
  });
}

/** One form as the operator edits it: the current definition and the list of versions. */
export function useFormDetail(key: string, enabled = true) {
  return useQuery({
    queryKey: ['form', key],
    queryFn: ({ signal }) => api<FormDetail>(formPath(key), { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useCreateForm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateFormRequest) => api<FormDetail>('/api/forms', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: FORMS_KEY }),
  });
}

/** Saves a form: a changed definition becomes a new version on the server. */
export function useUpdateForm(key: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateFormRequest) => api<FormDetail>(formPath(key), { method: 'PUT', body }),
    onSuccess: (detail) => {
      client.setQueryData(['form', key], detail);
      return client.invalidateQueries({ queryKey: FORMS_KEY });
    },
  });
}

/** What the builder reads of a taxonomy category (GET /api/taxonomy's ZCategoryView). */
export interface TaxonomyCategory {
  slug: string;
  names: Record<string, string>;
  archived: boolean;
}

/** The taxonomy's categories, for an option's "pre-selected by the classifier" slug (only with classify.read). */
export function useTaxonomy(enabled: boolean) {
  return useQuery({
    queryKey: ['taxonomy'],
    queryFn: ({ signal }) => api<{ categories: TaxonomyCategory[] }>('/api/taxonomy', { signal }),
    enabled,
    staleTime: 60_000,
  });
}
