import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, rememberCsrfToken } from './client.js';
import type { DemoInfo, Ok, SessionInfo } from './types.js';

export const SESSION_KEY = ['session'] as const;
export const DEMO_KEY = ['demo'] as const;

/** The signed-in account, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SessionInfo | null> => {
      try {
        const session = await api.get<SessionInfo>('/api/v1/auth/session');
        rememberCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          rememberCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether the server runs in demo mode, with its suggested logins (public). */
export function useDemoInfo() {
  return useQuery({
    queryKey: DEMO_KEY,
    queryFn: () => api.get<DemoInfo>('/api/v1/auth/demo'),
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api.post<SessionInfo>('/api/v1/auth/login', input),
    onSuccess: (session) => {
      rememberCsrfToken(session.csrfToken);
      // Nothing cached for a previous account may leak into this one.
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Ok>('/api/v1/auth/logout'),
    onSettled: () => {
      rememberCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
    },
  });
}
