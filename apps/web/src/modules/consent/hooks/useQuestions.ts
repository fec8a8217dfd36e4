import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  archiveQuestion,
  createQuestion,
  getQuestion,
  listQuestions,
  listVersions,
  updateQuestion,
} from '../api/questions.ts';
import type { QuestionInput } from '../model/question.ts';

export const questionsKey = ['consent', 'questions'] as const;
const pageSize = 100;

export function useQuestionList(archived: boolean) {
  return useInfiniteQuery({
    queryKey: [...questionsKey, 'list', archived],
    queryFn: ({ pageParam, signal }) =>
      listQuestions({ limit: pageSize, cursor: pageParam, archived: archived ? 'true' : 'false' }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The current (not archived) questions, first 100, to choose from in forms, filters and the GDPR tab. */
export function useQuestionChoices(enabled = true) {
  return useQuery({
    queryKey: [...questionsKey, 'choices'],
    queryFn: async ({ signal }) => (await listQuestions({ limit: pageSize }, signal)).items,
    enabled,
    staleTime: 30_000,
  });
}

/** Every question, archived ones too (first 100), to name questions in the log and the report. */
export function useAllQuestions() {
  return useQuery({
    queryKey: [...questionsKey, 'all'],
    queryFn: async ({ signal }) => (await listQuestions({ limit: pageSize, archived: 'all' }, signal)).items,
    staleTime: 30_000,
  });
}

export function useQuestion(id: string | undefined) {
  return useQuery({
    queryKey: [...questionsKey, 'one', id],
    queryFn: ({ signal }) => getQuestion(id ?? '', signal),
    enabled: id !== undefined,
  });
}

export function useQuestionVersions(id: string) {
  return useQuery({
    queryKey: [...questionsKey, 'versions', id],
    queryFn: ({ signal }) => listVersions(id, signal),
  });
}

export function useCreateQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: QuestionInput) => createQuestion(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: questionsKey }),
  });
}

export function useUpdateQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Partial<QuestionInput> & { archived?: boolean } }) =>
      updateQuestion(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: questionsKey }),
  });
}

export function useArchiveQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => archiveQuestion(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: questionsKey }),
  });
}
