import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLanguage, IconLogout, IconUserCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { can } from '../../../src/shared/permissions.js';
import { useLogout, useUpdateMe } from '../api/auth.js';
import { setUiLanguage, UI_LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../i18n.js';
import { SCREENS } from '../screens/index.js';
import { NAV_GROUPS } from './registry.js';
import { useUser } from './session.js';

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const [location] = useLocation();
  const items = SCREENS.filter((s) => s.nav && can(user.role, s.permission));
  return (
    <>
      {NAV_GROUPS.map((group) => {
        const inGroup = items.filter((s) => s.nav?.group === group).sort((a, b) => a.nav!.order - b.nav!.order);
        if (inGroup.length === 0) return null;
        return (
          <div key={group} className="al-nav-group">
            <Text component="h2" className="al-nav-heading">
              {t(`nav.group.${group}`)}
            </Text>
            {inGroup.map((screen) => {
              const Icon = screen.nav!.icon;
              const active = location === screen.path || location.startsWith(`${screen.path}/`);
              return (
                <NavLink
                  key={screen.path}
                  component={Link}
                  href={screen.path}
                  label={t(`nav.${screen.nav!.key}`)}
                  leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
                  active={active}
                  className="al-nav-link"
                  aria-current={active ? 'page' : undefined}
                  onClick={onNavigate}
                />
              );
            })}
          </div>
        );
      })}
    </>
  );
}

function UserMenu() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const logout = useLogout();
  const updateMe = useUpdateMe();
  const choose = async (lng: UiLanguage) => {
    await setUiLanguage(lng);
    updateMe.mutate({ locale: lng });
  };
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton className="al-user-button" aria-label={t('userMenu.open', { name: user.name })}>
          <Group gap={6} wrap="nowrap">
            <IconUserCircle size={22} stroke={1.5} aria-hidden />
            <Text size="sm" fw={500} className="al-user-name">
              {user.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.email} · {t(`roles.${user.role}`)}
        </Menu.Label>
        <Menu.Item component={Link} href="/profile" leftSection={<IconUserCircle size={16} aria-hidden />}>
          {t('profile:title')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>
          <Group gap={4}>
            <IconLanguage size={14} aria-hidden />
            {t('userMenu.language')}
          </Group>
        </Menu.Label>
        {UI_LANGUAGES.map((lng) => (
          <Menu.Item
            key={lng}
            lang={lng}
            onClick={() => void choose(lng)}
            aria-current={i18n.language === lng ? 'true' : undefined}
            fw={i18n.language === lng ? 700 : 400}
            data-testid={`language-${lng}`}
          >
            {UI_LANGUAGE_NAMES[lng]}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => logout.mutate()}>
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The frame of every screen: header with the user menu, grouped navbar (a burger on phones), and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="al-skip-link">
        {t('skipToContent')}
      </a>
      <AppShell.Header className="al-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t(opened ? 'nav.close' : 'nav.open')}
            />
            <Link href="/articles" className="al-brand">
              <span className="al-brand-mark" aria-hidden>
                A
              </span>
              <span>Answerloop</span>
            </Link>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label={t('nav.label')}>
            <Navigation onNavigate={close} />
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} className="al-main">
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
