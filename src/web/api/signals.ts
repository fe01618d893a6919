import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type {
  EvidenceType,
  OrgOverviewType,
  PersonSignalsType,
  TeamDashboardType,
} from '../../modules/signals/signals.schema.js';
import { api } from './client.js';

export type {
  ControlSeriesType,
  CycleStageType,
  EvidenceRowType,
  EvidenceType,
  FlagType,
  MetricInfoType,
  OrgOverviewType,
  PersonSignalsType,
  ReviewGraphType,
  TeamDashboardType,
} from '../../modules/signals/signals.schema.js';

/** A range of whole weeks, as dates (the server snaps them to UTC ISO weeks). */
export interface DateRange {
  from: string;
  to: string;
}

export const SIGNALS_KEY = 'signals';

export function useOrgSignals(range: DateRange, enabled = true) {
  return useQuery({
    queryKey: [SIGNALS_KEY, 'org', range],
    queryFn: () => api.get<OrgOverviewType>('/api/v1/signals/org', { ...range }),
    placeholderData: keepPreviousData,
    retry: false,
    enabled,
  });
}

export function useTeamSignals(id: string, range: DateRange) {
  return useQuery({
    queryKey: [SIGNALS_KEY, 'team', id, range],
    queryFn: () =>
      api.get<TeamDashboardType>(`/api/v1/signals/teams/${encodeURIComponent(id)}`, { ...range }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function usePersonSignals(id: string, range: DateRange) {
  return useQuery({
    queryKey: [SIGNALS_KEY, 'person', id, range],
    queryFn: () =>
      api.get<PersonSignalsType>(`/api/v1/signals/people/${encodeURIComponent(id)}`, { ...range }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export interface EvidenceRequest {
  metric: string;
  scope: 'person' | 'team' | 'org';
  id: string | null;
  from: string;
  to: string;
  /** Sprint metrics: the sprint whose issues to list. */
  sprint?: string;
}

export function useEvidence(request: EvidenceRequest | null) {
  return useQuery({
    queryKey: [SIGNALS_KEY, 'evidence', request],
    queryFn: () =>
      api.get<EvidenceType>('/api/v1/signals/evidence', {
        metric: request!.metric,
        scope: request!.scope,
        id: request!.id ?? undefined,
        from: request!.from,
        to: request!.to,
        sprint: request!.sprint,
      }),
    enabled: request !== null,
    retry: false,
  });
}

/**
 * Keeps signal queries fresh: listens to `GET /api/v1/stream` and refetches the signal queries
 * when rollups the viewer may see change. Returns how many updates arrived (shown as "live").
 */
export function useSignalsStream(): { connected: boolean; updates: number } {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [updates, setUpdates] = useState(0);
  useEffect(() => {
    const source = new EventSource('/api/v1/stream', { withCredentials: true });
    source.addEventListener('ready', () => setConnected(true));
    source.addEventListener('signals', () => {
      setUpdates((n) => n + 1);
      void queryClient.invalidateQueries({ queryKey: [SIGNALS_KEY] });
    });
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [queryClient]);
  return { connected, updates };
}

/** The last `weeks` weeks up to today, as dates. */
export function lastWeeks(weeks: number, now = new Date()): DateRange {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (weeks - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
