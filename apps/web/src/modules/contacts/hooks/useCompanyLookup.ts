import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { lookUpCompanies } from '../api/companyLookup.ts';

/** Companies matching what is typed (already debounced by the caller). */
export function useCompanyLookup(q: string, enabled = true) {
  return useQuery({
    queryKey: ['companies', 'lookup', q.trim()],
    queryFn: ({ signal }) => lookUpCompanies(q, signal),
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 30_000,
  });
}
