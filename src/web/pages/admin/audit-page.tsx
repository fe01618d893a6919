import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { AuditPage as AuditPageData } from '../../api/types.js';
import { formatDateTime } from '../../components/dates.js';
import { PageTitle } from '../../components/page-title.js';
import { ErrorNotice, Loading } from '../../components/query-state.js';

type DecisionFilter = 'all' | 'deny' | 'allow';
const PAGE_SIZE = 50;

/** Who read or was refused what, newest first, with a filter for denials. */
export function AuditPage() {
  const [decision, setDecision] = useState<DecisionFilter>('all');
  const [action, setAction] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);

  const audit = useInfiniteQuery({
    queryKey: ['audit', decision, debouncedAction],
    queryFn: ({ pageParam }) =>
      api.get<AuditPageData>('/api/v1/audit', {
        decision: decision === 'all' ? undefined : decision,
        action: debouncedAction || undefined,
        before: pageParam ?? undefined,
        limit: PAGE_SIZE,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <PageTitle
        title="Audit log"
        description="Every read of sensitive data and every refused request, newest first. Use it to answer “who looked at this?” and to spot probing."
      />
      <Group align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Decision
          </Text>
          <SegmentedControl
            aria-label="Decision"
            value={decision}
            onChange={(v) => setDecision(v as DecisionFilter)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'deny', label: 'Denied only' },
              { value: 'allow', label: 'Allowed only' },
            ]}
          />
        </Stack>
        <TextInput
          label="Action"
          description="Exact action name, e.g. person.read_profile"
          placeholder="Any action"
          leftSection={<IconSearch size={16} />}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          w={300}
        />
      </Group>
      {audit.isPending ? (
        <Loading />
      ) : audit.isError ? (
        <ErrorNotice error={audit.error} title="Cannot load the audit log" />
      ) : items.length === 0 ? (
        <Text c="dimmed">No entries match these filters.</Text>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="xs" fz="sm" data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th miw={100}>Decision</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((e) => (
                  <Table.Tr key={e.id} data-decision={e.decision} data-action={e.action}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                    <Table.Td>{e.actor}</Table.Td>
                    <Table.Td>
                      <Code>{e.action}</Code>
                    </Table.Td>
                    <Table.Td>
                      {e.resourceType}
                      {e.resourceId ? (
                        <Text span c="dimmed" size="xs" ml={4} style={{ wordBreak: 'break-all' }}>
                          {e.resourceId}
                        </Text>
                      ) : null}
                      {e.dataClass ? (
                        <Badge size="xs" variant="outline" color="gray" ml={6}>
                          {e.dataClass}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge
                        color={e.decision === 'deny' ? 'red' : 'teal'}
                        variant="light"
                        style={{ overflow: 'visible' }}
                      >
                        {e.decision === 'deny' ? 'Denied' : 'Allowed'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{e.reason ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {audit.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="light"
            onClick={() => void audit.fetchNextPage()}
            loading={audit.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      ) : items.length > 0 ? (
        <Text size="sm" c="dimmed" ta="center">
          That is every matching entry.
        </Text>
      ) : null}
    </Stack>
  );
}
