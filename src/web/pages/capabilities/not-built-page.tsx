import { Alert, Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconHammer } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageTitle } from '../../components/page-title.js';
import type { Capability } from '../../navigation.js';

/** The page of a capability that is planned but not built: what it will hold, in one sentence. */
export function NotBuiltPage({ capability }: { capability: Capability }) {
  const Icon = capability.icon;
  return (
    <Stack maw={760}>
      <PageTitle title={capability.label} />
      <Paper withBorder p="xl" radius="md" data-testid="not-built">
        <Stack gap="md">
          <Group gap="sm">
            <Icon size={28} aria-hidden="true" />
            <Badge color="gray" variant="light" size="lg">
              Not built yet
            </Badge>
          </Group>
          <Text size="lg" fw={600}>
            Not built yet: this part of Cairn is planned but does not exist in this version.
          </Text>
          <Text>
            <b>What will be here:</b> {capability.summary}
          </Text>
          <Alert color="blue" variant="light" icon={<IconHammer size={18} />}>
            Capability {capability.number} of 11 in the product plan. Nothing on this page collects or shows
            data yet.{' '}
            <Anchor component={Link} to="/">
              See what is available now
            </Anchor>
            .
          </Alert>
        </Stack>
      </Paper>
    </Stack>
  );
}
