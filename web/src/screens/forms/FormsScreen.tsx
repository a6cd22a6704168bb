import { Anchor, Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { FORM_LIMITS } from '../../../../src/modules/forms/form-limits.js';
import { ApiError } from '../../api/client.js';
import { type FormDefinition, type FormSummary, useCreateForm, useForms } from '../../api/forms.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';

const KEY = /^[a-z][a-z0-9-]{0,39}$/;

/** A form to start from: a subject, a description and the reader's email, in the operator's language. */
function starterDefinition(locale: string, title: string, t: (key: string) => string): FormDefinition {
  return {
    defaultLocale: locale,
    title: { [locale]: title },
    fields: [
      { name: 'subject', type: 'text', role: 'subject', required: true, label: { [locale]: t('starter.subject') } },
      {
        name: 'description',
        type: 'textarea',
        role: 'description',
        required: true,
        label: { [locale]: t('starter.description') },
      },
      { name: 'email', type: 'email', role: 'email', required: true, label: { [locale]: t('starter.email') } },
    ],
  };
}

function NewFormDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('forms');
  const create = useCreateForm();
  const [, navigate] = useLocation();
  const [key, setKey] = useState('');
  const [title, setTitle] = useState('');
  const keyError = key !== '' && !KEY.test(key) ? t('create.keyRule') : undefined;
  const serverError = create.error instanceof ApiError ? create.error.message : undefined;
  const locale = i18n.language;
  const submit = () =>
    create.mutate(
      { key, definition: starterDefinition(locale, title.trim(), (k) => t(k)), enabled: false },
      { onSuccess: () => navigate(`/forms/${key}`) },
    );
  return (
    <Modal opened={opened} onClose={onClose} title={t('create.title')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('create.body')}
          </Text>
          <TextInput
            label={t('create.key')}
            description={t('create.keyHint')}
            value={key}
            dir="ltr"
            maxLength={FORM_LIMITS.key}
            required
            error={keyError}
            onChange={(e) => setKey(e.currentTarget.value.trim().toLowerCase())}
            data-autofocus
          />
          <TextInput
            label={t('create.formTitle', { locale })}
            value={title}
            maxLength={FORM_LIMITS.title}
            required
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          {serverError ? (
            <Text size="sm" c="red" role="alert">
              {serverError}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!KEY.test(key) || title.trim() === ''}>
              {t('create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The contact forms: what readers can choose on /xx/contact, with versions, translations and recent use. */
export function FormsScreen() {
  const { t, i18n } = useTranslation('forms');
  const canWrite = useCan('forms.write');
  const forms = useForms();
  const [opened, { open, close }] = useDisclosure(false);

  const columns: Column<FormSummary>[] = [
    {
      key: 'title',
      header: t('column.form'),
      render: (form) => (
        <Stack gap={0}>
          <Anchor component={Link} href={`/forms/${form.key}`} fw={600}>
            <span dir="auto">{form.title[i18n.language] ?? form.title[form.defaultLocale] ?? form.key}</span>
          </Anchor>
          <Text size="xs" c="dimmed" dir="ltr" ta="start">
            {form.key}
          </Text>
        </Stack>
      ),
    },
    { key: 'version', header: t('column.version'), render: (form) => format.number(form.version) },
    {
      key: 'enabled',
      header: t('column.enabled'),
      render: (form) => (
        <Badge
          color={form.enabled ? 'green' : 'gray'}
          variant={form.enabled ? 'light' : 'outline'}
          radius="sm"
          tt="none"
        >
          {t(form.enabled ? 'enabled.on' : 'enabled.off')}
        </Badge>
      ),
    },
    { key: 'fields', header: t('column.fields'), render: (form) => format.number(form.fields) },
    {
      key: 'locales',
      header: t('column.locales'),
      render: (form) => (
        <div className="al-status-cell">
          {form.completeLocales.map((code) => (
            <Badge key={code} size="sm" variant="light" color="teal" radius="sm" tt="none">
              {code}
            </Badge>
          ))}
        </div>
      ),
    },
    { key: 'submissions', header: t('column.submissions'), render: (form) => format.number(form.submissions30d) },
    { key: 'updated', header: t('column.updated'), render: (form) => format.date(form.updatedAt) },
  ];

  return (
    <div className="al-page">
      <PageHeader
        title={t('title')}
        description={t('description')}
        helpNs="forms"
        actions={
          canWrite ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
              {t('new')}
            </Button>
          ) : null
        }
      />
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={forms.data ? [...forms.data.forms].sort((a, b) => a.position - b.position) : undefined}
        rowKey={(form) => form.key}
        loading={forms.isFetching}
        error={forms.error}
        onRetry={() => void forms.refetch()}
        empty={{
          title: t('empty.title'),
          body: t('empty.body'),
          action: canWrite ? (
            <Button size="xs" mt="xs" onClick={open}>
              {t('new')}
            </Button>
          ) : undefined,
        }}
      />
      {opened ? <NewFormDialog opened={opened} onClose={close} /> : null}
    </div>
  );
}
