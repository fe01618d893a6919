import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBinaryTree2, IconUserCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useSession } from '../api/session.js';
import { PageTitle } from '../components/page-title.js';
import { CAPABILITIES } from '../navigation.js';

/** Where a person lands after signing in: who they are, and every capability with its state. */
export function HomePage() {
  const session = useSession();
  const account = session.data?.account;
  const firstName = account?.personName?.split(' ')[0];
  return (
    <Stack>
      <PageTitle
        title={firstName ? `Welcome, ${firstName}` : 'Welcome'}
        description="Cairn turns real work into coaching: signals from the work, a live dashboard, coaching moments suited to each person, conversations with follow-ups, and a measure of whether coaching helps."
        actions={
          <Group>
            {account?.personId ? (
              <Button
                component={Link}
                to={`/people/${account.personId}`}
                variant="light"
                leftSection={<IconUserCircle size={18} />}
              >
                My page
              </Button>
            ) : null}
            <Button component={Link} to="/org" leftSection={<IconBinaryTree2 size={18} />}>
              Organisation
            </Button>
          </Group>
        }
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {CAPABILITIES.map((c) => {
          const Icon = c.icon;
          return (
            <Card key={c.slug} withBorder radius="md" padding="lg" component={Link} to={c.path}>
              <Group justify="space-between" mb="xs" wrap="nowrap">
                <Group gap="sm" wrap="nowrap">
                  <ThemeIcon variant="light" size="lg" color={c.built ? 'teal' : 'gray'}>
                    <Icon size={20} />
                  </ThemeIcon>
                  <Text fw={600}>{c.label}</Text>
                </Group>
                <Badge variant="light" color={c.built ? 'teal' : 'gray'} style={{ flexShrink: 0 }}>
                  {c.built ? 'Available' : 'Not built yet'}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {c.summary}
              </Text>
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
