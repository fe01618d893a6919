import type { Static } from '@sinclair/typebox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AiDraftType,
  AiSettingsBodyType,
  AiSettingsType,
  AiStatusType,
  AiTestResult,
  DraftResultType,
} from '../../modules/coaching/ai.schema.js';
import type {
  DeliveryStatus,
  InboxType,
  WebhookDeliveryType,
  WebhookEndpointCreated,
  WebhookEndpointType,
  WebhookTestResult,
} from '../../modules/coaching/delivery.schema.js';
import type {
  OpportunityDetailType,
  OpportunityListType,
  OpportunityStatusType,
} from '../../modules/coaching/opportunities.schema.js';
import { api } from './client.js';

/* Client of the coaching APIs: opportunities, the inbox, AI drafting, and (admins) delivery settings. */

export type OpportunityList = OpportunityListType;
export type OpportunityDetail = OpportunityDetailType;
export type AiDraft = AiDraftType;
export type DraftResult = DraftResultType;
export type AiSettings = AiSettingsType;
export type WebhookEndpoint = WebhookEndpointType;
export type WebhookDelivery = WebhookDeliveryType;

const KEY = ['coaching'] as const;

export function useOpportunities(status: OpportunityStatusType | 'all') {
  return useQuery({
    queryKey: [...KEY, 'opportunities', status],
    queryFn: () => api.get<OpportunityList>('/api/v1/coaching/opportunities', { status }),
  });
}

export function useOpportunity(id: string) {
  return useQuery({
    queryKey: [...KEY, 'opportunity', id],
    queryFn: () => api.get<OpportunityDetail>(`/api/v1/coaching/opportunities/${encodeURIComponent(id)}`),
  });
}

export type OpportunityAction =
  | { action: 'act'; body: { note?: string } }
  | { action: 'snooze'; body: { until: string } }
  | { action: 'dismiss'; body: { reason?: string } }
  | { action: 'feedback'; body: { useful: boolean } };

export function useOpportunityAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: OpportunityAction) =>
      api.post<unknown>(`/api/v1/coaching/opportunities/${encodeURIComponent(id)}/${a.action}`, a.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useInbox(unreadOnly: boolean) {
  return useQuery({
    queryKey: [...KEY, 'inbox', unreadOnly],
    queryFn: () => api.get<InboxType>('/api/v1/coaching/inbox', { unread: unreadOnly || undefined }),
    retry: false,
  });
}

export function useMarkInboxItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, state }: { id: string; state: 'read' | 'acted' }) =>
      api.post(`/api/v1/coaching/inbox/${encodeURIComponent(id)}/${state}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'inbox'] }),
  });
}

// AI drafting

export function useAiStatus() {
  return useQuery({
    queryKey: [...KEY, 'ai-status'],
    queryFn: () => api.get<AiStatusType>('/api/v1/coaching/ai-status'),
  });
}

export function useDrafts(opportunityId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'drafts', opportunityId],
    queryFn: () =>
      api.get<{ items: AiDraft[] }>(
        `/api/v1/coaching/opportunities/${encodeURIComponent(opportunityId)}/drafts`,
      ),
    enabled,
  });
}

export function useCreateDraft(opportunityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (kind: 'guide' | 'evidence_summary') =>
      api.post<DraftResult>(`/api/v1/coaching/opportunities/${encodeURIComponent(opportunityId)}/draft`, {
        kind,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'drafts', opportunityId] }),
  });
}

export function useDecideDraft(opportunityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'accept' | 'discard' }) =>
      api.post<AiDraft>(`/api/v1/coaching/drafts/${encodeURIComponent(id)}/${decision}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'drafts', opportunityId] }),
  });
}

export function useAiSettings() {
  return useQuery({
    queryKey: [...KEY, 'ai-settings'],
    queryFn: () => api.get<AiSettings>('/api/v1/coaching/ai-settings'),
  });
}

export function useSaveAiSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AiSettingsBodyType) => api.put<AiSettings>('/api/v1/coaching/ai-settings', body),
    onSuccess: (data) => {
      queryClient.setQueryData([...KEY, 'ai-settings'], data);
      void queryClient.invalidateQueries({ queryKey: [...KEY, 'ai-status'] });
    },
  });
}

export function useTestAiSettings() {
  return useMutation({
    mutationFn: (body: { baseUrl?: string; model?: string; apiKey?: string }) =>
      api.post<Static<typeof AiTestResult>>('/api/v1/coaching/ai-settings/test', body),
  });
}

// Delivery (admins)

export function useDeliveryStatus() {
  return useQuery({
    queryKey: [...KEY, 'delivery-status'],
    queryFn: () => api.get<Static<typeof DeliveryStatus>>('/api/v1/coaching/delivery/status'),
  });
}

export function useWebhooks() {
  return useQuery({
    queryKey: [...KEY, 'webhooks'],
    queryFn: () => api.get<{ items: WebhookEndpoint[] }>('/api/v1/coaching/webhooks'),
  });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; url: string }) =>
      api.post<Static<typeof WebhookEndpointCreated>>('/api/v1/coaching/webhooks', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'webhooks'] }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/coaching/webhooks/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...KEY, 'webhooks'] }),
  });
}

export function useTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Static<typeof WebhookTestResult>>(`/api/v1/coaching/webhooks/${encodeURIComponent(id)}/test`),
    onSuccess: (_data, id) => queryClient.invalidateQueries({ queryKey: [...KEY, 'deliveries', id] }),
  });
}

export function useWebhookDeliveries(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'deliveries', id],
    queryFn: () =>
      api.get<{ items: WebhookDelivery[] }>(
        `/api/v1/coaching/webhooks/${encodeURIComponent(id!)}/deliveries`,
      ),
    enabled: id !== null,
  });
}
