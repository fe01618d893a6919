import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import type { ReactNode } from 'react';

/** A person's name linking to their person page. */
export function PersonLink({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={`/people/${id}`}>
      {children}
    </Anchor>
  );
}

export function TeamLink({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={`/teams/${id}`}>
      {children}
    </Anchor>
  );
}
