import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CoachingEngagement as EngagementSchema,
  CoachingEngagementCreateBody,
  CoachingEngagementList,
} from '../../modules/conversations/engagements.schema.js';
import { api, ApiError } from './client.js';

export type CoachingEngagement = Static<typeof EngagementSchema>;
type EngagementList = Static<typeof CoachingEngagementList>;

const key = (personId: string) => ['coaching-engagements', personId] as const;

/** Who coaches the person. Someone who may not see it gets `null` (the section stays hidden). */
export function useCoachingEngagements(personId: string, enabled = true) {
  return useQuery({
    queryKey: key(personId),
    queryFn: async (): Promise<EngagementList | null> => {
      try {
        return await api.get<EngagementList>(
          `/api/v1/people/${encodeURIComponent(personId)}/coaching-engagements`,
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) return null;
        throw error;
      }
    },
    enabled: enabled && Boolean(personId),
    retry: false,
  });
}

export function useStartEngagement(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Static<typeof CoachingEngagementCreateBody>) =>
      api.post<CoachingEngagement>(
        `/api/v1/people/${encodeURIComponent(personId)}/coaching-engagements`,
        body,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key(personId) }),
  });
}

export function useEndEngagement(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; validTo?: string }) =>
      api.post<CoachingEngagement>(
        `/api/v1/coaching-engagements/${encodeURIComponent(input.id)}/end`,
        input.validTo ? { validTo: input.validTo } : {},
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key(personId) }),
  });
}
