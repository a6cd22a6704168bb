import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './forms.css';
import { Link } from 'wouter';
import { FORM_LIMITS } from '../../../../src/modules/forms/form-limits.js';
import { FIELD_TYPES, type FieldType, localized } from '../../../../src/modules/forms/form-logic.js';
import type { LocaleReading } from '../../../../src/modules/forms/present-form.js';
import { ApiError } from '../../api/client.js';
import { type FormDefinition, type FormField, useFormDetail, useTaxonomy, useUpdateForm } from '../../api/forms.js';
import { useLocaleMap } from '../../api/locales.js';
import { useCan } from '../../app/session.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { type BuilderErrors, builderErrors, NO_ERRORS } from './builder-errors.js';
import { renameInCondition } from './conditions.js';
import { FieldEditor, FieldHeader, missingLocales, withType } from './FieldEditor.js';
import { FormPreview } from './FormPreview.js';
import { LocalizedInput } from './texts.js';

/** A field name not yet used in the form: `<type>`, `<type>_2`, ... */
function freshName(fields: FormField[], type: FieldType): string {
  const base = type.replace(/[^a-z0-9_]/g, '_');
  let name = base;
  for (let n = 2; fields.some((f) => f.name === name); n++) name = `${base}_${n}`;
  return name;
}

/** The form builder: fields with texts per locale, options and conditions on the left, a live preview on the right. */
export function FormBuilderScreen({ params }: { params: { key: string } }) {
  const key = params.key;
  const { t } = useTranslation('forms');
  const canWrite = useCan('forms.write');
  const canClassify = useCan('classify.read');
  const detail = useFormDetail(key);
  const save = useUpdateForm(key);
  const taxonomy = useTaxonomy(canClassify);
  const locales = useLocaleMap();
  const [draft, setDraft] = useState<FormDefinition | null>(null);
  const [saved, setSaved] = useState<string>('');
  const [editLocale, setEditLocale] = useState<string | null>(null);
  const [previewLocale, setPreviewLocale] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [errors, setErrors] = useState<BuilderErrors>(NO_ERRORS);
  const [newType, setNewType] = useState<FieldType>('text');

  // The draft starts from the server's current version, and again after each save.
  useEffect(() => {
    if (!detail.data) return;
    const json = JSON.stringify(detail.data.definition);
    if (json === saved) return;
    setSaved(json);
    setDraft(structuredClone(detail.data.definition));
  }, [detail.data, saved]);

  const localeCodes = useMemo(() => {
    const codes = locales.list.map((l) => l.code);
    if (draft && !codes.includes(draft.defaultLocale)) codes.unshift(draft.defaultLocale);
    return codes;
  }, [locales.list, draft]);
  const reading: LocaleReading = useMemo(
    () => ({
      direction: (code) => locales.dir(code),
      fallbackChain: (code) => locales.list.find((l) => l.code === code)?.fallback ?? [],
    }),
    [locales],
  );

  if (detail.error && !detail.data) {
    return (
      <div className="al-page">
        <PageHeader title={t('builder.title', { key })} helpNs="forms" />
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert" title={t('common:error.loadTitle')}>
          {detail.error instanceof ApiError ? detail.error.message : String(detail.error)}
        </Alert>
      </div>
    );
  }
  if (!detail.data || !draft) {
    return (
      <div className="al-page">
        <PageHeader title={t('builder.title', { key })} helpNs="forms" />
        <Skeleton height={320} radius="md" />
      </div>
    );
  }

  const form = detail.data;
  const defaultLocale = draft.defaultLocale;
  const locale = editLocale ?? defaultLocale;
  const preview = previewLocale ?? defaultLocale;
  const dir = locales.dir(locale);
  const dirty = JSON.stringify(draft) !== saved;
  const title = localized(draft.title, locale, defaultLocale) || key;
  const text = { locale, defaultLocale, dir };
  const update = (changes: Partial<FormDefinition>) => setDraft({ ...draft, ...changes });
  const setFields = (fields: FormField[]) => update({ fields });

  const rename = (from: string, to: string) => {
    setFields(
      draft.fields.map((field) => {
        const next: FormField = field.name === from ? { ...field, name: to } : { ...field };
        for (const k of ['showIf', 'hideIf', 'requireIf'] as const) {
          const c = next[k];
          if (c) next[k] = renameInCondition(c, from, to);
        }
        return next;
      }),
    );
    if (open === from) setOpen(to);
    if (errors.fields[from]) setErrors({ ...errors, fields: { ...errors.fields, [to]: errors.fields[from]! } });
  };
  const move = (from: number, to: number) => {
    const fields = [...draft.fields];
    const [moved] = fields.splice(from, 1);
    fields.splice(to, 0, moved!);
    setFields(fields);
  };
  const addField = () => {
    const name = freshName(draft.fields, newType);
    const field = withType({ name, type: 'text', label: {} }, newType);
    setFields([...draft.fields, field]);
    setOpen(name);
  };
  const onSave = () => {
    const fields = draft.fields;
    save.mutate(
      { definition: draft },
      {
        onSuccess: (result) => {
          setErrors(NO_ERRORS);
          notify('success', t('builder.saved', { version: result.version }));
        },
        onError: (error) => {
          setErrors(builderErrors(error, fields));
          notify('error', error instanceof ApiError ? error.message : String(error), t('builder.saveFailed'));
        },
      },
    );
  };
  const toggleEnabled = (enabled: boolean) =>
    save.mutate(
      { enabled },
      {
        onSuccess: () => notify('success', t(enabled ? 'builder.enabledOn' : 'builder.enabledOff')),
        onError: (error) => notify('error', error instanceof ApiError ? error.message : String(error)),
      },
    );

  const categories = (taxonomy.data?.categories ?? [])
    .filter((c) => !c.archived)
    .map((c) => ({ value: c.slug, label: c.names[locale] ?? c.names.en ?? c.slug }));
  const formErrors = Object.entries(errors.form);
  const localeData = localeCodes.map((code) => ({
    value: code,
    label: code === defaultLocale ? `${locales.name(code)} (${code}) ★` : `${locales.name(code)} (${code})`,
  }));

  return (
    <div className="al-page">
      <PageHeader
        title={t('builder.title', { key: title })}
        description={t('builder.summary', {
          key,
          version: form.version,
          updated: format.date(form.updatedAt),
        })}
        helpNs="forms"
        actions={
          <Group gap="xs">
            <Button
              component={Link}
              href="/forms"
              variant="default"
              leftSection={<IconArrowLeft size={16} aria-hidden className="al-flip-rtl" />}
            >
              {t('builder.back')}
            </Button>
            {canWrite ? (
              <Button
                onClick={onSave}
                loading={save.isPending}
                disabled={!dirty}
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
              >
                {t('builder.save')}
              </Button>
            ) : null}
          </Group>
        }
      />
      {formErrors.length > 0 ? (
        <Alert
          color="red"
          icon={<IconAlertTriangle aria-hidden />}
          role="alert"
          mb="md"
          title={t('builder.saveFailed')}
        >
          <Stack gap={2}>
            {formErrors.map(([path, message]) => (
              <Text key={path} size="sm">
                <code dir="ltr">{path}</code>: {message}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      {!canWrite ? (
        <Alert color="gray" mb="md" data-testid="read-only">
          {t('builder.readOnly')}
        </Alert>
      ) : null}
      {dirty && canWrite ? (
        <Text size="sm" c="orange.8" mb="sm" role="status">
          {t('builder.unsaved')}
        </Text>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Group gap="md" wrap="wrap" align="flex-end">
                  <Switch
                    label={t('builder.enabled')}
                    description={t('builder.enabledHint')}
                    checked={form.enabled}
                    disabled={!canWrite || save.isPending}
                    onChange={(e) => toggleEnabled(e.currentTarget.checked)}
                  />
                  <Select
                    label={t('builder.defaultLocale')}
                    data={localeData}
                    value={defaultLocale}
                    allowDeselect={false}
                    onChange={(code) => code && update({ defaultLocale: code })}
                    w={220}
                  />
                  <Select
                    label={t('builder.editLocale')}
                    description={t('builder.editLocaleHint')}
                    data={localeData}
                    value={locale}
                    allowDeselect={false}
                    onChange={setEditLocale}
                    w={220}
                    data-testid="edit-locale"
                  />
                </Group>
                <LocalizedInput
                  {...text}
                  label={t('builder.formTitle')}
                  text={draft.title}
                  onChange={(v) => update({ title: v ?? {} })}
                  max={FORM_LIMITS.title}
                  required
                  error={errors.form.title}
                />
                <LocalizedInput
                  {...text}
                  label={t('builder.description')}
                  text={draft.description}
                  onChange={(description) => update({ description })}
                  max={FORM_LIMITS.description}
                  multiline
                />
                <Group grow align="flex-start" wrap="wrap">
                  <LocalizedInput
                    {...text}
                    label={t('builder.submitLabel')}
                    text={draft.submitLabel}
                    onChange={(submitLabel) => update({ submitLabel })}
                    max={FORM_LIMITS.label}
                  />
                  <LocalizedInput
                    {...text}
                    label={t('builder.confirmation')}
                    text={draft.confirmation}
                    onChange={(confirmation) => update({ confirmation })}
                    max={FORM_LIMITS.description}
                  />
                </Group>
              </Stack>
            </Paper>

            <Stack gap="xs" component="section" aria-label={t('builder.fields')}>
              <Text fw={700}>{t('builder.fieldsCount', { count: draft.fields.length })}</Text>
              {errors.form.fields ? (
                <Text size="sm" c="red" role="alert">
                  {errors.form.fields}
                </Text>
              ) : null}
              {draft.fields.map((field, index) => {
                const fieldErrors = errors.fields[field.name] ?? {};
                const isOpen = open === field.name;
                return (
                  <Paper
                    // biome-ignore lint/suspicious/noArrayIndexKey: a field's name changes as it is typed; the card holds no state of its own
                    key={index}
                    withBorder
                    p="sm"
                    radius="md"
                    className="al-field-card"
                    data-open={isOpen}
                  >
                    <FieldHeader
                      field={field}
                      index={index}
                      count={draft.fields.length}
                      label={localized(field.label, locale, defaultLocale)}
                      missing={missingLocales(field, localeCodes)}
                      hasErrors={Object.keys(fieldErrors).length > 0}
                      open={isOpen}
                      onToggle={() => setOpen(isOpen ? null : field.name)}
                      onMove={(to) => move(index, to)}
                    >
                      <ConfirmAction
                        label={<IconTrash size={16} aria-hidden />}
                        aria-label={t('builder.delete', { name: field.name })}
                        variant="subtle"
                        color="red"
                        size="compact-sm"
                        disabled={draft.fields.length === 1}
                        title={t('builder.deleteTitle', { name: field.name })}
                        message={t('builder.deleteBody')}
                        confirmLabel={t('builder.deleteConfirm')}
                        onConfirm={() => {
                          setFields(draft.fields.filter((_, i) => i !== index));
                          if (isOpen) setOpen(null);
                        }}
                      />
                    </FieldHeader>
                    {isOpen ? (
                      <div className="al-field-body">
                        <FieldEditor
                          field={field}
                          index={index}
                          fields={draft.fields}
                          {...text}
                          errors={fieldErrors}
                          categories={categories}
                          onChange={(next) => setFields(draft.fields.map((f, i) => (i === index ? next : f)))}
                          onRename={rename}
                        />
                      </div>
                    ) : Object.keys(fieldErrors).length > 0 ? (
                      <Stack gap={2} mt={6}>
                        {Object.entries(fieldErrors).map(([path, message]) => (
                          <Text key={path} size="sm" c="red" role="alert">
                            {path ? `${path}: ` : ''}
                            {message}
                          </Text>
                        ))}
                      </Stack>
                    ) : null}
                  </Paper>
                );
              })}
              {canWrite && draft.fields.length < FORM_LIMITS.fields ? (
                <Group gap="xs" align="flex-end">
                  <Select
                    label={t('builder.newFieldType')}
                    data={FIELD_TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))}
                    value={newType}
                    allowDeselect={false}
                    onChange={(type) => type && setNewType(type as FieldType)}
                    w={200}
                  />
                  <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={addField}>
                    {t('builder.addField')}
                  </Button>
                </Group>
              ) : null}
            </Stack>

            <Paper withBorder p="md" radius="md">
              <Text fw={700} mb="xs">
                {t('builder.versions')}
              </Text>
              <div className="al-table-wrap">
                <Table verticalSpacing={4} data-testid="versions">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('builder.version')}</Table.Th>
                      <Table.Th scope="col">{t('builder.versionCreated')}</Table.Th>
                      <Table.Th scope="col">{t('builder.versionBy')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {form.versions.map((v) => (
                      <Table.Tr key={v.version}>
                        <Table.Td>
                          {v.version}
                          {v.version === form.version ? (
                            <Badge ms={6} size="xs" variant="light" radius="sm" tt="none">
                              {t('builder.current')}
                            </Badge>
                          ) : null}
                        </Table.Td>
                        <Table.Td>{format.date(v.createdAt)}</Table.Td>
                        <Table.Td>{v.createdBy ?? '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm" className="al-preview-column">
            <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
              <Text fw={700}>{t('preview.title')}</Text>
              {localeCodes.length <= 6 ? (
                <SegmentedControl
                  size="xs"
                  value={preview}
                  onChange={setPreviewLocale}
                  data={localeCodes.map((code) => ({ value: code, label: code }))}
                  aria-label={t('preview.locale')}
                  data-testid="preview-locale"
                />
              ) : (
                <Select
                  size="xs"
                  aria-label={t('preview.locale')}
                  data={localeData}
                  value={preview}
                  allowDeselect={false}
                  onChange={setPreviewLocale}
                  w={200}
                  data-testid="preview-locale"
                />
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('preview.hint')}
            </Text>
            <FormPreview
              key={preview}
              formKey={key}
              version={form.version}
              definition={draft}
              locale={preview}
              locales={reading}
            />
            <Anchor href={`/${preview}/contact?form=${encodeURIComponent(key)}`} target="_blank" size="sm">
              {t('preview.openSite')}
            </Anchor>
          </Stack>
        </Grid.Col>
      </Grid>
    </div>
  );
}
