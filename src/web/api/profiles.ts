import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ProfileBody,
  Questionnaire as QuestionnaireSchema,
  WorkStyleProfile as WorkStyleProfileSchema,
} from '../../modules/profiles/profiles.schema.js';
import { api, ApiError } from './client.js';

export type Questionnaire = Static<typeof QuestionnaireSchema>;
export type WorkStyleProfile = Static<typeof WorkStyleProfileSchema>;
export type ProfileSubmission = NonNullable<WorkStyleProfile['current']>;
export type ProfileInput = Static<typeof ProfileBody>;

export function useQuestionnaire() {
  return useQuery({
    queryKey: ['profiles', 'questionnaire'],
    queryFn: () => api.get<Questionnaire>('/api/v1/profiles/questionnaire'),
    staleTime: Infinity,
  });
}

/** A person's work-style profile; a 403 resolves to `{ denied: true }` so the page can explain. */
export function useWorkStyle(personId: string | null | undefined) {
  return useQuery({
    queryKey: ['work-style', personId],
    queryFn: async (): Promise<{ denied: false; profile: WorkStyleProfile } | { denied: true }> => {
      try {
        return {
          denied: false,
          profile: await api.get<WorkStyleProfile>(
            `/api/v1/people/${encodeURIComponent(personId ?? '')}/work-style`,
          ),
        };
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) return { denied: true };
        throw error;
      }
    },
    enabled: Boolean(personId),
    retry: false,
  });
}

export function useSubmitWorkStyle(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProfileInput) =>
      api.post<WorkStyleProfile>(`/api/v1/people/${encodeURIComponent(personId)}/work-style`, input),
    onSuccess: (profile) => {
      queryClient.setQueryData(['work-style', personId], { denied: false, profile });
    },
  });
}
