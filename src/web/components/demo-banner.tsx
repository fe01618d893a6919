import { Group, Text } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';

export const DEMO_BANNER_TEXT = 'Demo organisation — data is fictional';

/** The strip at the top of every page while the server runs in demo mode. */
export function DemoBanner() {
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
