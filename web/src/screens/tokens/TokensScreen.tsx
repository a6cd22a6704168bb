import { Alert, Badge, Button, CopyButton, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { api } from '../../api/client.js';
import type { CreateTokenBody, CreateTokenResponse, TokensResponse, TokenView } from '../../api/contract.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';

const TOKENS_KEY = ['tokens'] as const;

function statusOf(token: TokenView): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** API tokens: the user's own tokens; create (secret shown once) and revoke. */
export function TokensScreen() {
  const { t } = useTranslation('tokens');
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => api<TokensResponse>('/api/tokens') });
  const revoke = useMutation({
    mutationFn: (id: number) => api<{ revoked: true }>(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const columns: Column<TokenView>[] = [
    {
      key: 'name',
      header: t('columns.name'),
      render: (token) => (
        <Text size="sm" fw={500}>
          {token.name}
        </Text>
      ),
    },
    { key: 'prefix', header: t('columns.prefix'), render: (token) => <code dir="ltr">{token.prefix}…</code> },
    { key: 'created', header: t('columns.created'), render: (token) => format.date(token.createdAt) },
    {
      key: 'lastUsed',
      header: t('columns.lastUsed'),
      render: (token) => (token.lastUsedAt ? format.date(token.lastUsedAt) : t('never')),
    },
    {
      key: 'expires',
      header: t('columns.expires'),
      render: (token) => (token.expiresAt ? format.date(token.expiresAt) : t('noExpiry')),
    },
    {
      key: 'status',
      header: t('columns.status'),
      render: (token) => {
        const status = statusOf(token);
        return (
          <Badge
            color={status === 'active' ? 'green' : 'gray'}
            variant="light"
            radius="sm"
            tt="none"
            data-status={status}
          >
            {t(status)}
          </Badge>
        );
      },
    },
    {
      key: 'actions',
      header: <span className="al-visually-hidden">{t('columns.actions')}</span>,
      render: (token) =>
        statusOf(token) === 'active' ? (
          <ConfirmAction
            size="xs"
            variant="subtle"
            color="red"
            label={t('revoke')}
            aria-label={`${t('revoke')} ${token.name}`}
            title={t('revoke')}
            message={t('revokeConfirm', { name: token.name })}
            confirmLabel={t('revoke')}
            onConfirm={() => revoke.mutateAsync(token.id).then(() => notifySaved(t('revokedDone')), notifyFailed)}
          />
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle')}
        helpNs="tokens"
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('new')}
          </Button>
        }
      />
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={tokens.data?.tokens}
        rowKey={(token) => String(token.id)}
        loading={tokens.isPending}
        error={tokens.error}
        onRetry={() => void tokens.refetch()}
        empty={{ title: t('empty.title'), body: t('empty.body') }}
      />
      {creating ? (
        <CreateToken
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false);
            setSecret(value);
            void client.invalidateQueries({ queryKey: TOKENS_KEY });
          }}
        />
      ) : null}
      {secret ? <ShowSecret secret={secret} onClose={() => setSecret(null)} /> : null}
    </>
  );
}

const MAX_DAYS = LIMITS.apiTokenDaysMax;

function CreateToken({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation('tokens');
  const create = useMutation({
    mutationFn: (body: CreateTokenBody) => api<CreateTokenResponse>('/api/tokens', { method: 'POST', body }),
  });
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(90);
  const daysError =
    days !== '' && (!Number.isInteger(Number(days)) || Number(days) < 1 || Number(days) > MAX_DAYS)
      ? t('expiresHint', { max: MAX_DAYS })
      : null;
  const valid = name.trim().length > 0 && [...name].length <= LIMITS.apiTokenName && !daysError;
  const server = fieldErrors(create.error);
  return (
    <Modal opened onClose={onClose} title={t('new')} closeButtonProps={{ 'aria-label': t('common:close') }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          create.mutate(
            { name: name.trim(), ...(days === '' ? {} : { expiresInDays: Number(days) }) },
            { onSuccess: (result) => onCreated(result.secret), onError: notifyFailed },
          );
        }}
      >
        <Stack>
          <LimitedTextInput
            label={t('name')}
            description={t('nameHint')}
            value={name}
            max={LIMITS.apiTokenName}
            required
            showRequired={name.length > 0}
            onChange={(event) => setName(event.currentTarget.value)}
            error={server.name}
            data-autofocus
          />
          <NumberInput
            label={t('expiresInDays')}
            description={t('expiresHint', { max: MAX_DAYS })}
            value={days}
            onChange={setDays}
            min={1}
            max={MAX_DAYS}
            allowDecimal={false}
            error={daysError ?? server.expiresInDays}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={create.isPending}>
              {t('create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The secret, once: the server stores only its hash, so closing this is the last time anyone sees it. */
function ShowSecret({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation('tokens');
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('secret.title')}
      closeOnClickOutside={false}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack>
        <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} c="yellow.9">
          {t('secret.warning')}
        </Alert>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            value={secret}
            readOnly
            dir="ltr"
            style={{ flex: 1 }}
            aria-label={t('secret.title')}
            data-testid="token-secret"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button
                onClick={copy}
                variant={copied ? 'light' : 'filled'}
                leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              >
                {copied ? t('secret.copied') : t('secret.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('secret.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
