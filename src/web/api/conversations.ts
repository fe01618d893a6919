import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConversationActionItem as ActionItemSchema,
  ConversationCreateBodyType,
  ConversationDetailType,
  ConversationKindType,
  ConversationListType,
  ConversationSummaryType,
  ConversationHelpfulnessType,
  ConversationTopicCatalogue as TopicCatalogueSchema,
} from '../../shared/api.js';
import { api } from './client.js';

/* Client of the conversations API; types come from the server's schemas via shared/api. */

export type ConversationKind = ConversationKindType;
export type ConversationSummary = ConversationSummaryType;
export type ConversationDetail = ConversationDetailType;
export type ConversationList = ConversationListType;
export type ConversationActionItem = Static<typeof ActionItemSchema>;
export type ConversationHelpfulness = ConversationHelpfulnessType;
export type ConversationTopicCatalogue = Static<typeof TopicCatalogueSchema>;
export type ConversationCreate = Partial<ConversationCreateBodyType> &
  Pick<ConversationCreateBodyType, 'kind' | 'scheduledAt' | 'durationMinutes'>;

export interface ConversationFilter {
  status?: 'scheduled' | 'completed' | 'cancelled';
  kind?: ConversationKind;
  with?: string;
  role?: string;
  from?: string;
  to?: string;
  q?: string;
  limit?: number;
}

const KEY = ['conversations'] as const;

export function useMyConversations(filter: ConversationFilter, enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'list', filter],
    queryFn: () => api.get<ConversationList>('/api/v1/me/conversations', { ...filter }),
    enabled,
  });
}

export function useMyActions(status: 'open' | 'overdue' | 'all' = 'open') {
  return useQuery({
    queryKey: [...KEY, 'actions', status],
    queryFn: () =>
      api.get<{ items: ConversationActionItem[] }>('/api/v1/me/conversations/actions', { status }),
  });
}

export function useHelpfulness() {
  return useQuery({
    queryKey: [...KEY, 'helpfulness'],
    queryFn: () => api.get<ConversationHelpfulness>('/api/v1/me/conversations/helpfulness'),
  });
}

export function useTopicCatalogue() {
  return useQuery({
    queryKey: [...KEY, 'topics'],
    queryFn: () => api.get<ConversationTopicCatalogue>('/api/v1/conversations/topics'),
    staleTime: Infinity,
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: [...KEY, 'one', id],
    queryFn: () => api.get<ConversationDetail>(`/api/v1/conversations/${encodeURIComponent(id)}`),
  });
}

export function useCreateConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConversationCreate) => api.post<ConversationDetail>('/api/v1/conversations', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

type Method = 'post' | 'patch' | 'delete' | 'put';

/** Every change to one conversation answers with the whole conversation; the cache takes it as is. */
export function useConversationChange(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, body }: { method: Method; path: string; body?: unknown }) => {
      const url = `/api/v1/conversations/${encodeURIComponent(id)}${path}`;
      if (method === 'post') return api.post<ConversationDetail>(url, body);
      if (method === 'patch') return api.patch<ConversationDetail>(url, body);
      if (method === 'put') return api.put<ConversationDetail>(url, body);
      return api.delete<ConversationDetail>(url);
    },
    onSuccess: (detail) => {
      if (detail.id === id) queryClient.setQueryData([...KEY, 'one', id], detail);
      void queryClient.invalidateQueries({ queryKey: [...KEY, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...KEY, 'actions'] });
    },
  });
}

export function useRateConversation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { score: number; comment: string | null }) =>
      api.post<{ ok: true }>(`/api/v1/conversations/${encodeURIComponent(id)}/rating`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'one', id] }),
  });
}

/** Marks a follow-up action done or open from any list. */
export function useToggleAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: { conversationId: string; id: string; done: boolean }) =>
      api.patch<ConversationDetail>(
        `/api/v1/conversations/${encodeURIComponent(a.conversationId)}/actions/${encodeURIComponent(a.id)}`,
        { done: a.done },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export const KIND_LABEL: Record<ConversationKind, string> = {
  one_on_one: '1:1',
  debrief: 'Project debrief',
  peer: 'Peer coaching',
  upward: 'Upward coaching',
  external: 'External coaching',
};

export const KIND_COLOR: Record<ConversationKind, string> = {
  one_on_one: 'teal',
  debrief: 'grape',
  peer: 'blue',
  upward: 'orange',
  external: 'pink',
};
