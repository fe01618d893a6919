import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Outlet } from 'react-router';
import { useSession } from '../../api/session.js';

/** The admin pages, for accounts with the admin role; the server enforces the same rule. */
export function RequireAdmin() {
  const session = useSession();
  if (!session.data?.account.roles.includes('admin')) {
    return (
      <Alert color="gray" icon={<IconLock size={18} />} title="Administrators only">
        This page is for accounts with the admin role. Ask an administrator if you need access.
      </Alert>
    );
  }
  return <Outlet />;
}
