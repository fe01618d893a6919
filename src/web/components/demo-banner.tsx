import { Group, Progress, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

export const DEMO_BANNER_TEXT = 'Demo organisation — data is fictional';

interface Readiness {
  status: string;
  progress?: number;
  step?: string;
  message?: string;
}

/**
 * The server's readiness (`GET /readyz`, public): on a first start the demo organisation loads
 * after the server already answers, and /readyz says how far it is. Polled until ready.
 */
function useReadiness() {
  return useQuery({
    queryKey: ['readiness'],
    queryFn: async (): Promise<Readiness> => {
      const res = await fetch('/readyz', { headers: { accept: 'application/json' } });
      return (await res.json()) as Readiness;
    },
    refetchInterval: (query) => (query.state.data?.status === 'ready' ? false : 1000),
    staleTime: Infinity,
    retry: true,
  });
}

/** The strip at the top of every page while the server runs in demo mode. */
export function DemoBanner() {
  const readiness = useReadiness();
  const queryClient = useQueryClient();
  const status = readiness.data?.status;
  const loading = status === 'loading' || status === 'unavailable';
  const sawLoading = useRef(false);
  if (loading) sawLoading.current = true;
  useEffect(() => {
    // The demo logins (and everything else) exist once the load is done: ask again.
    if (status === 'ready' && sawLoading.current)
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'readiness' });
  }, [status, queryClient]);

  if (loading) {
    const percent = readiness.data?.progress ?? 0;
    return (
      <Group
        role="status"
        aria-live="polite"
        data-testid="demo-banner"
        data-loading="true"
        h={32}
        justify="center"
        gap={12}
        wrap="nowrap"
        bg={status === 'unavailable' ? 'red.2' : 'yellow.3'}
        c="dark.8"
        px="md"
      >
        <IconFlask size={16} aria-hidden="true" />
        <Text size="sm" fw={600} truncate>
          {status === 'unavailable'
            ? (readiness.data?.message ?? 'Loading the demo organisation failed')
            : `Loading the demo organisation… ${percent}%`}
        </Text>
        {status === 'loading' ? (
          <>
            <Progress value={percent} w={160} size="sm" color="dark.4" aria-hidden="true" visibleFrom="sm" />
            <Text size="sm" visibleFrom="sm" truncate>
              {readiness.data?.step}
            </Text>
          </>
        ) : null}
      </Group>
    );
  }
  return (
    <Group
      role="status"
      data-testid="demo-banner"
      h={32}
      justify="center"
      gap={8}
      wrap="nowrap"
      bg="yellow.3"
      c="dark.8"
      px="md"
    >
      <IconFlask size={16} aria-hidden="true" />
      <Text size="sm" fw={600} truncate>
        {DEMO_BANNER_TEXT}
      </Text>
      <Text size="sm" visibleFrom="sm" truncate>
        · every demo person signs in with the password “demo”
      </Text>
    </Group>
  );
}
