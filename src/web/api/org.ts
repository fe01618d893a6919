import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, ApiError } from './client.js';
import type { PersonDetail, PersonList, PersonProfile, TeamDetail, TeamList } from './types.js';

/** Every team of the organisation, flat (the tree is built by the page). */
export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api.get<TeamList>('/api/v1/teams') });
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: ['team', id],
    queryFn: () => api.get<TeamDetail>(`/api/v1/teams/${encodeURIComponent(id)}`),
  });
}

/** People whose name, e-mail or title matches `q`, page by page. */
export function usePeopleSearch(q: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['people', q],
    queryFn: ({ pageParam }) => api.get<PersonList>('/api/v1/people', { q, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function usePerson(id: string | null | undefined) {
  return useQuery({
    queryKey: ['person', id],
    queryFn: () => api.get<PersonDetail>(`/api/v1/people/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
  });
}

/**
 * The private part of a person page. A 403 is an answer, not a failure: it resolves to
 * `{ denied: true }` so the page can say whose page it is.
 */
export function usePersonProfile(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['person', id, 'profile'],
    queryFn: async (): Promise<{ denied: false; profile: PersonProfile } | { denied: true }> => {
      try {
        return {
          denied: false,
          profile: await api.get<PersonProfile>(`/api/v1/people/${encodeURIComponent(id)}/profile`),
        };
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) return { denied: true };
        throw error;
      }
    },
    enabled,
    retry: false,
  });
}
