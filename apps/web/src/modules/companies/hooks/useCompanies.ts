import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type CompanyFilter,
  type CompanyInput,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  updateCompany,
} from '../api/companies.ts';

const companiesKey = ['companies'] as const;
const listKey = [...companiesKey, 'list'] as const;
const detailKey = (id: string) => [...companiesKey, 'detail', id] as const;
const pageSize = 100;

export function useCompanyList(filter: CompanyFilter) {
  return useInfiniteQuery({
    queryKey: [...listKey, filter],
    queryFn: ({ pageParam, signal }) =>
      listCompanies({ ...filter, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCompany(id: string) {
  return useQuery({ queryKey: detailKey(id), queryFn: ({ signal }) => getCompany(id, signal) });
}

/** A company's name shows on its persons, and its tags in the tag counts. */
function useAfterCompanyWrite() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: listKey }),
      queryClient.invalidateQueries({ queryKey: [...companiesKey, 'lookup'] }),
      queryClient.invalidateQueries({ queryKey: ['contacts'] }),
    ]);
}

export function useCreateCompany() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterCompanyWrite();
  return useMutation({
    mutationFn: (input: CompanyInput) => createCompany(input),
    onSuccess: async (company) => {
      queryClient.setQueryData(detailKey(company.id), company);
      await afterWrite();
    },
  });
}

export function useUpdateCompany() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterCompanyWrite();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: CompanyInput }) => updateCompany(id, changes),
    onSuccess: async (company) => {
      queryClient.setQueryData(detailKey(company.id), company);
      await afterWrite();
    },
  });
}

export function useDeleteCompany() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterCompanyWrite();
  return useMutation({
    mutationFn: (id: string) => deleteCompany(id),
    onSuccess: async (_nothing, id) => {
      queryClient.removeQueries({ queryKey: detailKey(id) });
      queryClient.removeQueries({ queryKey: ['documents', 'companies', id] });
      // Its persons are gone too: every cached contact page may name one of them.
      queryClient.removeQueries({ queryKey: ['contacts', 'detail'] });
      await afterWrite();
    },
  });
}
