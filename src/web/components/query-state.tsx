import { Alert, Center, Loader } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../api/client.js';

/** A centred spinner for a page or section that is loading. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" aria-live="polite">
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

/** An error from the API in words a person can act on. */
export function ErrorNotice({ error, title }: { error: unknown; title?: ReactNode }) {
  const notFound = error instanceof ApiError && error.status === 404;
  const missingApi = notFound && error.message.startsWith('No route for');
  return (
    <Alert
      color={notFound ? 'gray' : 'red'}
      icon={<IconAlertTriangle size={18} />}
      title={
        title ??
        (missingApi
          ? 'This part of the server is not available'
          : notFound
            ? 'Not found'
            : 'Something went wrong')
      }
      role="alert"
    >
      {describeError(error)}
    </Alert>
  );
}
