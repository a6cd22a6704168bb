import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { ROLES, type Role } from '../../../../src/shared/permissions.js';
import type { UserView } from '../../api/contract.js';
import { useUser } from '../../app/session.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format, UI_LANGUAGE_NAMES, UI_LANGUAGES } from '../../i18n.js';
import { useContentLocaleCodes } from '../locales/api.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';
import { useCreateUser, useRevokeSessions, useUpdateUser, useUsers } from './api.js';

/** Loose on purpose: the server's check (z.email) is the authority; this only catches typos while typing. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Users: the team, their roles and languages; create, change, deactivate, sign out everywhere. Admin only. */
export function UsersScreen() {
  const { t } = useTranslation('users');
  const me = useUser();
  const users = useUsers();
  const update = useUpdateUser();
  const revoke = useRevokeSessions();
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [generated, setGenerated] = useState<{ email: string; password: string } | null>(null);

  const columns: Column<UserView>[] = [
    {
      key: 'name',
      header: t('columns.name'),
      render: (user) => (
        <Stack gap={0}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={500}>
              {user.name}
            </Text>
            {user.id === me.id ? (
              <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
                {t('you')}
              </Badge>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed" dir="ltr" ta="start">
            {user.email}
          </Text>
        </Stack>
      ),
    },
    { key: 'role', header: t('columns.role'), render: (user) => t(`roles.${user.role}`) },
    {
      key: 'languages',
      header: t('columns.languages'),
      render: (user) => (
        <Text size="sm">
          {UI_LANGUAGE_NAMES[user.locale as keyof typeof UI_LANGUAGE_NAMES] ?? user.locale}
          {user.role === 'translator' && user.locales.length > 0 ? (
            <Text span size="xs" c="dimmed" dir="ltr">
              {' '}
              · {user.locales.join(', ')}
            </Text>
          ) : null}
        </Text>
      ),
    },
    {
      key: 'status',
      header: t('columns.status'),
      render: (user) => (
        <Badge color={user.active ? 'green' : 'gray'} variant="light" radius="sm" tt="none">
          {user.active ? t('active') : t('inactive')}
        </Badge>
      ),
    },
    {
      key: 'lastSeen',
      header: t('columns.lastSeen'),
      render: (user) => (user.lastSeenAt ? format.date(user.lastSeenAt) : t('never')),
    },
    {
      key: 'actions',
      header: <span className="al-visually-hidden">{t('columns.actions')}</span>,
      render: (user) => (
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={() => setEditing(user)}
            aria-label={t('editTitle', { name: user.name })}
          >
            {t('edit')}
          </Button>
          {user.id === me.id ? null : (
            <>
              <ConfirmAction
                size="xs"
                variant="subtle"
                label={t('revokeSessions')}
                title={t('revokeSessions')}
                message={t('revokeConfirm', { name: user.name })}
                confirmLabel={t('revokeSessions')}
                onConfirm={() =>
                  revoke
                    .mutateAsync(user.id)
                    .then(({ revoked }) => notifySaved(t('revoked', { count: revoked })), notifyFailed)
                }
              />
              {user.active ? (
                <ConfirmAction
                  size="xs"
                  variant="subtle"
                  color="red"
                  label={t('deactivate')}
                  title={t('deactivate')}
                  message={t('deactivateConfirm', { name: user.name })}
                  confirmLabel={t('deactivate')}
                  onConfirm={() =>
                    update
                      .mutateAsync({ id: user.id, active: false })
                      .then(() => notifySaved(t('deactivated', { name: user.name })), notifyFailed)
                  }
                />
              ) : (
                <Button
                  size="xs"
                  variant="subtle"
                  onClick={() =>
                    update.mutate(
                      { id: user.id, active: true },
                      { onSuccess: () => notifySaved(t('reactivated', { name: user.name })), onError: notifyFailed },
                    )
                  }
                >
                  {t('reactivate')}
                </Button>
              )}
            </>
          )}
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle')}
        helpNs="users"
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('new')}
          </Button>
        }
      />
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={users.data?.users}
        rowKey={(user) => String(user.id)}
        loading={users.isPending}
        error={users.error}
        onRetry={() => void users.refetch()}
        empty={{ title: t('empty.title'), body: t('empty.body') }}
      />
      {editing ? (
        <UserEditor
          user={editing === 'new' ? null : editing}
          taken={users.data?.users.map((u) => u.email) ?? []}
          onClose={() => setEditing(null)}
          onGenerated={setGenerated}
        />
      ) : null}
      {generated ? <GeneratedPassword {...generated} onClose={() => setGenerated(null)} /> : null}
    </>
  );
}

/** The generated password, shown once with a copy button: the server keeps only its hash. */
function GeneratedPassword({ email, password, onClose }: { email: string; password: string; onClose: () => void }) {
  const { t } = useTranslation('users');
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('generated.title', { email })}
      closeOnClickOutside={false}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack>
        <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} c="yellow.9">
          {t('generated.body')}
        </Alert>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            value={password}
            readOnly
            dir="ltr"
            style={{ flex: 1 }}
            aria-label={t('password')}
            data-testid="generated-password"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton value={password}>
            {({ copied, copy }) => (
              <Button
                onClick={copy}
                variant={copied ? 'light' : 'filled'}
                leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              >
                {copied ? t('generated.copied') : t('generated.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('generated.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function UserEditor(props: {
  user: UserView | null;
  taken: string[];
  onClose: () => void;
  onGenerated: (value: { email: string; password: string }) => void;
}) {
  const { t } = useTranslation('users');
  const { user } = props;
  const create = useCreateUser();
  const update = useUpdateUser();
  const contentLocales = useContentLocaleCodes();
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'editor');
  const [locale, setLocale] = useState<string>(user?.locale ?? 'en');
  const [locales, setLocales] = useState<string[]>(user?.locales ?? []);
  const [password, setPassword] = useState('');
  const server = fieldErrors(create.error ?? update.error);

  const emailError =
    email.length === 0
      ? null
      : email.length > LIMITS.email || !EMAIL.test(email)
        ? t('settings:validation.email')
        : user === null && props.taken.includes(email.toLowerCase())
          ? t('emailTaken')
          : null;
  const passwordError =
    password.length > 0 && (password.length < LIMITS.passwordMin || password.length > LIMITS.passwordMax)
      ? t('passwordHint', { min: LIMITS.passwordMin })
      : null;
  const localesError = role === 'translator' && locales.length === 0 ? t('localesRequired') : null;
  const valid =
    email.length > 0 &&
    !emailError &&
    name.trim().length > 0 &&
    [...name].length <= LIMITS.userName &&
    !passwordError &&
    !localesError;

  const submit = () => {
    const chosen = role === 'translator' ? locales : [];
    if (user) {
      update.mutate(
        {
          id: user.id,
          name: name.trim(),
          role,
          locale: locale as (typeof UI_LANGUAGES)[number],
          locales: chosen,
          ...(password ? { password } : {}),
        },
        {
          onSuccess: () => {
            notifySaved(t('saved'));
            props.onClose();
          },
          onError: notifyFailed,
        },
      );
    } else {
      create.mutate(
        {
          email,
          name: name.trim(),
          role,
          locale: locale as (typeof UI_LANGUAGES)[number],
          locales: chosen,
          ...(password ? { password } : {}),
        },
        {
          onSuccess: (result) => {
            notifySaved(t('created'));
            props.onClose();
            if (result.password) props.onGenerated({ email: result.user.email, password: result.password });
          },
          onError: notifyFailed,
        },
      );
    }
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="lg"
      title={user ? t('editTitle', { name: user.name }) : t('newTitle')}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) submit();
        }}
      >
        <Stack>
          <TextInput
            label={t('email')}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value.trim())}
            disabled={user !== null}
            required
            dir="ltr"
            autoComplete="off"
            error={emailError ?? server.email}
          />
          <LimitedTextInput
            label={t('name')}
            value={name}
            max={LIMITS.userName}
            required
            showRequired={name.length > 0 || user !== null}
            onChange={(event) => setName(event.currentTarget.value)}
            error={server.name}
          />
          <Select
            label={t('role')}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
            description={t(`roleHelp.${role}`)}
            comboboxProps={{ withinPortal: true }}
          />
          {role === 'translator' ? (
            <MultiSelect
              label={t('locales')}
              description={t('localesHint')}
              data={contentLocales}
              value={locales}
              onChange={setLocales}
              maxValues={LIMITS.translatorLocales}
              searchable
              required
              error={localesError ?? server.locales}
              comboboxProps={{ withinPortal: true }}
            />
          ) : null}
          <Select
            label={t('adminLanguage')}
            data={UI_LANGUAGES.map((lng) => ({ value: lng, label: UI_LANGUAGE_NAMES[lng] }))}
            value={locale}
            onChange={(value) => value && setLocale(value)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <PasswordInput
            label={t('password')}
            description={t('passwordHint', { min: LIMITS.passwordMin })}
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            autoComplete="new-password"
            dir="ltr"
            error={passwordError ?? server.password}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={create.isPending || update.isPending}>
              {user ? t('save') : t('create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
