import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconChevronDown,
  IconHome,
  IconListDetails,
  IconLogout,
  IconSend,
  IconSettings,
  IconUserCircle,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useDemoInfo, useLogout, useSession } from '../api/session.js';
import type { SessionInfo } from '../api/types.js';
import { CAPABILITIES } from '../navigation.js';
import { roleLabels } from './role-labels.js';
import { CairnMark } from './cairn-mark.js';
import { DemoBanner } from './demo-banner.js';
import { Loading, ErrorNotice } from './query-state.js';

/** The frame of every signed-in page: header, navigation, demo banner. Anonymous visitors go to sign-in. */
export function AppLayout() {
  const session = useSession();
  const demo = useDemoInfo();
  const location = useLocation();

  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.isError) return <ErrorNotice error={session.error} title="Cannot check your session" />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const isDemo = demo.data?.demo ?? session.data.demo;
  return <Shell session={session.data} isDemo={isDemo} />;
}

function Shell({ session, isDemo }: { session: SessionInfo; isDemo: boolean }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  const account = session.account;
  const isAdmin = account.roles.includes('admin');
  const headerHeight = isDemo ? 92 : 60;

  const item = (to: string, label: string, icon: ReactNode, extra?: ReactNode) => (
    <NavLink
      key={to}
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      rightSection={extra}
      active={to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`)}
      onClick={close}
    />
  );

  return (
    <AppShell
      header={{ height: headerHeight }}
      navbar={{ width: 280, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        {isDemo ? <DemoBanner /> : null}
        <Group h={60} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <UnstyledButton component={Link} to="/" aria-label="Cairn home">
              <Group gap={8} wrap="nowrap">
                <CairnMark size={28} />
                <Text fw={700} size="lg">
                  Cairn
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <UserMenu account={account} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {item('/', 'Home', <IconHome size={18} />)}
          {account.personId
            ? item(`/people/${account.personId}`, 'My page', <IconUserCircle size={18} />)
            : null}
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
            Capabilities
          </Text>
          {CAPABILITIES.map((c) => {
            const Icon = c.icon;
            return item(
              c.path,
              c.label,
              <Icon size={18} />,
              c.built ? null : (
                <Badge size="xs" variant="light" color="gray">
                  soon
                </Badge>
              ),
            );
          })}
          {isAdmin ? (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
                Admin
              </Text>
              {item('/admin/accounts', 'Accounts', <IconUsers size={18} />)}
              {item('/admin/audit', 'Audit log', <IconListDetails size={18} />)}
              {item('/admin/coaching-delivery', 'Coaching delivery', <IconSend size={18} />)}
            </>
          ) : null}
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
            You
          </Text>
          {item('/settings', 'Settings', <IconSettings size={18} />)}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function UserMenu({ account }: { account: SessionInfo['account'] }) {
  const logout = useLogout();
  const navigate = useNavigate();
  const name = account.personName ?? account.email;
  const initials = name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const roles = roleLabels(account);

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${name}`} data-testid="user-menu">
          <Group gap="sm" wrap="nowrap">
            <Avatar radius="xl" color="teal" size={34}>
              {initials}
            </Avatar>
            <div style={{ lineHeight: 1.2 }}>
              <Text size="sm" fw={600} data-testid="signed-in-name">
                {name}
              </Text>
              <Group gap={4} visibleFrom="xs" data-testid="signed-in-roles">
                {roles.map((r) => (
                  <Badge key={r} size="xs" variant="light">
                    {r}
                  </Badge>
                ))}
              </Group>
            </div>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{account.email}</Menu.Label>
        {account.personId ? (
          <Menu.Item
            component={Link}
            to={`/people/${account.personId}`}
            leftSection={<IconUserCircle size={16} />}
          >
            My page
          </Menu.Item>
        ) : null}
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} />}>
          Settings
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login') })}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
