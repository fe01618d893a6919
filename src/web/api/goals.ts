import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AlignmentView as AlignmentViewSchema,
  CheckInInput,
  Evaluation as EvaluationSchema,
  EvaluationInput,
  GoalCreateInput,
  GoalDetail as GoalDetailSchema,
  GoalHistory as GoalHistorySchema,
  GoalList as GoalListSchema,
  GoalListQueryType,
  GoalSummary as GoalSummarySchema,
  GoalLinkInput,
  GoalUpdateInput,
  LinkKeyList as LinkKeyListSchema,
  ReminderList as ReminderListSchema,
  StalledList as StalledListSchema,
} from '../../modules/goals/goals.schema.js';
import { api } from './client.js';

/** Goals API (PRODUCT.md §7). Types come from the server's TypeBox schemas (type-only imports). */

export type GoalSummary = Static<typeof GoalSummarySchema>;
export type GoalDetail = Static<typeof GoalDetailSchema>;
export type GoalList = Static<typeof GoalListSchema>;
export type AlignmentView = Static<typeof AlignmentViewSchema>;
export type GoalHistory = Static<typeof GoalHistorySchema>;
export type StalledList = Static<typeof StalledListSchema>;
export type ReminderList = Static<typeof ReminderListSchema>;
export type Evaluation = Static<typeof EvaluationSchema>;
export type LinkKeyList = Static<typeof LinkKeyListSchema>;
export type { CheckInInput, EvaluationInput, GoalCreateInput, GoalLinkInput, GoalUpdateInput };

const GOALS = ['goals'] as const;

export function useGoals(query: Partial<GoalListQueryType>, enabled = true) {
  return useQuery({
    queryKey: [...GOALS, 'list', query],
    queryFn: () => api.get<GoalList>('/api/v1/goals', query),
    enabled,
  });
}

export function useGoal(id: string) {
  return useQuery({
    queryKey: [...GOALS, 'detail', id],
    queryFn: () => api.get<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}`),
  });
}

export function useGoalHistory(id: string) {
  return useQuery({
    queryKey: [...GOALS, 'history', id],
    queryFn: () => api.get<GoalHistory>(`/api/v1/goals/${encodeURIComponent(id)}/history`),
  });
}

export function useAlignment(query: { period?: string | undefined; personId?: string | undefined }) {
  return useQuery({
    queryKey: [...GOALS, 'alignment', query],
    queryFn: () => api.get<AlignmentView>('/api/v1/goals/alignment', query),
  });
}

export function useLinkKeys(enabled = true) {
  return useQuery({
    queryKey: [...GOALS, 'link-keys'],
    queryFn: () => api.get<LinkKeyList>('/api/v1/goals/link-keys'),
    enabled,
  });
}

export function useStalled(enabled: boolean) {
  return useQuery({
    queryKey: [...GOALS, 'stalled'],
    queryFn: () => api.get<StalledList>('/api/v1/goals/stalled'),
    enabled,
  });
}

export function useReminders(enabled: boolean) {
  return useQuery({
    queryKey: [...GOALS, 'reminders'],
    queryFn: () => api.get<ReminderList>('/api/v1/goals/reminders'),
    enabled,
  });
}

/** Every mutation refreshes all goal queries: a change to one goal moves flags, trees and lists. */
function useGoalMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: GOALS }),
  });
}

export const useCreateGoal = () =>
  useGoalMutation((input: GoalCreateInput) => api.post<GoalDetail>('/api/v1/goals', input));

export const useUpdateGoal = (id: string) =>
  useGoalMutation((input: GoalUpdateInput) =>
    api.patch<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}`, input),
  );

export const useSetParents = (id: string) =>
  useGoalMutation((input: { parentIds: string[]; reason?: string }) =>
    api.put<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}/parents`, input),
  );

export const useCheckIn = (id: string) =>
  useGoalMutation((input: CheckInInput) =>
    api.post<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}/check-ins`, input),
  );

export const useEvaluate = (id: string) =>
  useGoalMutation((input: EvaluationInput) =>
    api.put<{ items: Evaluation[] }>(`/api/v1/goals/${encodeURIComponent(id)}/evaluation`, input),
  );

export const useDismissReminder = () =>
  useGoalMutation((id: string) => api.post(`/api/v1/goals/reminders/${encodeURIComponent(id)}/dismiss`));

export const useSetLink = (id: string) =>
  useGoalMutation((input: GoalLinkInput) =>
    api.put<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}/link`, input),
  );

export const useRemoveLink = (id: string) =>
  useGoalMutation((reason: string | undefined) =>
    api.delete<GoalDetail>(
      `/api/v1/goals/${encodeURIComponent(id)}/link${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`,
    ),
  );

export const useRefreshLink = (id: string) =>
  useGoalMutation(() =>
    api.post<{ items: { goalId: string; reason: string }[] }>(
      `/api/v1/goals/${encodeURIComponent(id)}/link/refresh`,
      {},
    ),
  );
