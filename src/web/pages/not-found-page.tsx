import { Anchor, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { PageTitle } from '../components/page-title.js';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack>
      <PageTitle title="Page not found" />
      <Text>
        Cairn has no page at <code>{pathname}</code>. Check the address, or go{' '}
        <Anchor component={Link} to="/">
          home
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
