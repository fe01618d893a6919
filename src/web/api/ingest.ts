import type { Static } from '@sinclair/typebox';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConnectionCreated as ConnectionCreatedSchema,
  ConnectionView as ConnectionViewSchema,
  IdentityPage as IdentityPageSchema,
  IdentityView as IdentityViewSchema,
  QuarantineDetail as QuarantineDetailSchema,
  QuarantinePage as QuarantinePageSchema,
  RetryResult as RetryResultSchema,
  RunView as RunViewSchema,
  TestResult as TestResultSchema,
  WorkEventPage as WorkEventPageSchema,
} from '../../modules/ingest/ingest.schema.js';
import { api } from './client.js';

/** Work-data API: connections, runs, quarantine, identity review, person events. */

export type ConnectionView = Static<typeof ConnectionViewSchema>;
export type ConnectionCreated = Static<typeof ConnectionCreatedSchema>;
export type RunView = Static<typeof RunViewSchema>;
export type QuarantinePage = Static<typeof QuarantinePageSchema>;
export type QuarantineDetail = Static<typeof QuarantineDetailSchema>;
export type IdentityPage = Static<typeof IdentityPageSchema>;
export type IdentityView = Static<typeof IdentityViewSchema>;
export type TestResult = Static<typeof TestResultSchema>;
export type RetryResult = Static<typeof RetryResultSchema>;
export type WorkEventPage = Static<typeof WorkEventPageSchema>;
export type ConnectionKind = ConnectionView['kind'];

const busy = (c: ConnectionView) => c.status === 'queued' || c.status === 'running';

export function useConnections() {
  return useQuery({
    queryKey: ['connections'],
    queryFn: () => api.get<{ items: ConnectionView[] }>('/api/v1/connections'),
    // While a run is queued or running, poll for its progress.
    refetchInterval: (q) => (q.state.data?.items.some(busy) ? 1000 : false),
  });
}

export function useRuns(connectionId: string | null) {
  return useQuery({
    queryKey: ['connection-runs', connectionId],
    queryFn: () => api.get<{ items: RunView[] }>(`/api/v1/connections/${connectionId}/runs`, { limit: 10 }),
    enabled: !!connectionId,
  });
}

export function useInvalidateWorkData() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['connections'] });
    void queryClient.invalidateQueries({ queryKey: ['connection-runs'] });
    void queryClient.invalidateQueries({ queryKey: ['quarantine'] });
    void queryClient.invalidateQueries({ queryKey: ['identities'] });
  };
}

export function useCreateConnection() {
  const invalidate = useInvalidateWorkData();
  return useMutation({
    mutationFn: (body: {
      kind: ConnectionKind;
      name: string;
      config: Record<string, unknown>;
      secret?: boolean;
    }) => api.post<ConnectionCreated>('/api/v1/connections', body),
    onSuccess: invalidate,
  });
}

export function useRunNow() {
  const invalidate = useInvalidateWorkData();
  return useMutation({
    mutationFn: (id: string) => api.post<{ runId: string }>(`/api/v1/connections/${id}/run`),
    onSuccess: invalidate,
  });
}

export function useTestConnection() {
  return useMutation({ mutationFn: (id: string) => api.post<TestResult>(`/api/v1/connections/${id}/test`) });
}

export function useDeleteConnection() {
  const invalidate = useInvalidateWorkData();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/connections/${id}`),
    onSuccess: invalidate,
  });
}

export function useQuarantine(status: string, offset: number) {
  return useQuery({
    queryKey: ['quarantine', status, offset],
    queryFn: () => api.get<QuarantinePage>('/api/v1/quarantine', { status, limit: 25, offset }),
    placeholderData: keepPreviousData,
  });
}

export function useQuarantineAction() {
  const invalidate = useInvalidateWorkData();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'discard' }) =>
      api.post<RetryResult | { ok: true }>(`/api/v1/quarantine/${id}/${action}`),
    onSuccess: invalidate,
  });
}

export function useIdentities(status: string, q: string, offset: number) {
  return useQuery({
    queryKey: ['identities', status, q, offset],
    queryFn: () =>
      api.get<IdentityPage>('/api/v1/identities', { status, q: q || undefined, limit: 25, offset }),
    placeholderData: keepPreviousData,
  });
}

export function useIdentityAction() {
  const invalidate = useInvalidateWorkData();
  return useMutation({
    mutationFn: (a: { id: string; personId?: string; isBot?: boolean; unmap?: boolean }) =>
      a.personId
        ? api.post<IdentityView>(`/api/v1/identities/${a.id}/map`, { personId: a.personId })
        : a.unmap
          ? api.post<IdentityView>(`/api/v1/identities/${a.id}/unmap`)
          : api.post<IdentityView>(`/api/v1/identities/${a.id}/bot`, { isBot: a.isBot ?? true }),
    onSuccess: invalidate,
  });
}

export function usePersonEvents(personId: string, limit = 10) {
  return useQuery({
    queryKey: ['person-events', personId, limit],
    queryFn: () => api.get<WorkEventPage>(`/api/v1/people/${personId}/events`, { limit }),
    retry: false,
  });
}
