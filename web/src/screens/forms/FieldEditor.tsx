import {
  ActionIcon,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FORM_LIMITS } from '../../../../src/modules/forms/form-limits.js';
import {
  CHOICE_TYPES,
  CONTEXT_SOURCES,
  type Condition,
  FIELD_ROLES,
  FIELD_TYPES,
  type FieldOption,
  type FieldType,
  type FormField,
} from '../../../../src/modules/forms/form-logic.js';
import { ConditionSection } from './ConditionEditor.js';
import { answerableBefore, CONDITION_KEYS, describeCondition } from './conditions.js';
import { LocalizedInput } from './texts.js';

const TEXT_TYPES: FieldType[] = ['text', 'textarea', 'email'];

/** Locales (of those offered) where a field's label or one of its options' labels is missing. */
export function missingLocales(field: FormField, locales: string[]): string[] {
  if (field.type === 'hidden') return [];
  return locales.filter(
    (code) => !field.label[code]?.trim() || (field.options ?? []).some((option) => !option.label[code]?.trim()),
  );
}

/** A field changed to another type keeps what still applies and drops what no longer does. */
export function withType(field: FormField, type: FieldType): FormField {
  const next: FormField = { ...field, type };
  const choice = CHOICE_TYPES.includes(type);
  if (!choice) delete next.options;
  else if (!next.options?.length) next.options = [{ value: 'option-1', label: {} }];
  if (type !== 'hidden') delete next.context;
  else next.context ??= 'article';
  if (type !== 'notice') delete next.tone;
  if (!TEXT_TYPES.includes(type)) delete next.maxLength;
  if (type !== 'number') {
    delete next.min;
    delete next.max;
  }
  if (type !== 'file') {
    delete next.maxBytes;
    delete next.accept;
  }
  if (type === 'notice' || type === 'hidden') {
    delete next.required;
    delete next.requireIf;
  }
  return next;
}

/** Builds an object without the keys whose value is undefined (what the definition's JSON should hold). */
function patch(field: FormField, changes: Partial<FormField>): FormField {
  const next = { ...field, ...changes } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete next[key];
  return next as unknown as FormField;
}

function numberOrUndefined(value: string | number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export interface FieldEditorProps {
  field: FormField;
  index: number;
  fields: FormField[];
  locale: string;
  defaultLocale: string;
  dir: 'ltr' | 'rtl';
  /** Server refusals for this field, by the rest of their path ("name", "showIf", "options.0.label", ""). */
  errors: Record<string, string>;
  categories: { value: string; label: string }[];
  onChange: (next: FormField) => void;
  onRename: (from: string, to: string) => void;
}

/** Everything about one field: name, type, texts in the locale being edited, options, limits and conditions. */
export function FieldEditor(props: FieldEditorProps) {
  const { t } = useTranslation('forms');
  const { field, locale, defaultLocale, errors } = props;
  const set = (changes: Partial<FormField>) => props.onChange(patch(field, changes));
  const text = { locale, defaultLocale, dir: props.dir };
  const candidates = answerableBefore(props.fields, props.index);
  const choice = CHOICE_TYPES.includes(field.type);
  const options = field.options ?? [];
  const setOptions = (next: FieldOption[]) => set({ options: next });
  const moveOption = (from: number, to: number) => {
    const next = [...options];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    setOptions(next);
  };
  const fieldError = errors[''];

  return (
    <Stack gap="sm" data-testid={`field-editor-${field.name}`}>
      {fieldError ? (
        <Text size="sm" c="red" role="alert">
          {fieldError}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t('field.name')}
          description={t('field.nameHint')}
          value={field.name}
          dir="ltr"
          maxLength={FORM_LIMITS.fieldName}
          error={errors.name}
          onChange={(e) => {
            const name = e.currentTarget.value.toLowerCase().replace(/[^a-z0-9_]/g, '_');
            props.onRename(field.name, name);
          }}
        />
        <Select
          label={t('field.type')}
          data={FIELD_TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))}
          value={field.type}
          allowDeselect={false}
          onChange={(type) => type && props.onChange(withType(field, type as FieldType))}
          error={errors.type}
        />
      </SimpleGrid>
      {field.type !== 'hidden' ? (
        <LocalizedInput
          {...text}
          label={t(field.type === 'notice' ? 'field.noticeTitle' : 'field.label')}
          text={field.label}
          onChange={(label) => set({ label: label ?? {} })}
          max={FORM_LIMITS.label}
          required
          error={errors.label}
          testId="field-label"
        />
      ) : null}
      {field.type !== 'hidden' ? (
        <LocalizedInput
          {...text}
          label={t(field.type === 'notice' ? 'field.noticeBody' : 'field.help')}
          text={field.help}
          onChange={(help) => set({ help })}
          max={FORM_LIMITS.help}
          multiline
          error={errors.help}
        />
      ) : null}
      {TEXT_TYPES.includes(field.type) || field.type === 'number' ? (
        <LocalizedInput
          {...text}
          label={t('field.placeholder')}
          text={field.placeholder}
          onChange={(placeholder) => set({ placeholder })}
          max={FORM_LIMITS.label}
          error={errors.placeholder}
        />
      ) : null}

      <Group gap="lg" wrap="wrap" align="flex-end">
        {field.type !== 'notice' && field.type !== 'hidden' ? (
          <Switch
            label={t('field.required')}
            checked={field.required === true}
            onChange={(e) => set({ required: e.currentTarget.checked || undefined })}
          />
        ) : null}
        {field.type !== 'notice' && field.type !== 'hidden' && field.type !== 'file' ? (
          <Select
            label={t('field.role')}
            description={t('field.roleHint')}
            placeholder={t('field.noRole')}
            data={FIELD_ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
            value={field.role ?? null}
            clearable
            onChange={(role) => set({ role: (role as FormField['role']) ?? undefined })}
            error={errors.role}
            w={220}
          />
        ) : null}
        {field.type === 'hidden' ? (
          <Select
            label={t('field.context')}
            description={t('field.contextHint')}
            data={CONTEXT_SOURCES.map((source) => ({ value: source, label: t(`context.${source}`) }))}
            value={field.context ?? null}
            allowDeselect={false}
            onChange={(context) => set({ context: (context as FormField['context']) ?? undefined })}
            error={errors.context}
            w={260}
          />
        ) : null}
        {field.type === 'notice' ? (
          <Select
            label={t('field.tone')}
            data={(['info', 'warning', 'danger'] as const).map((tone) => ({ value: tone, label: t(`tone.${tone}`) }))}
            value={field.tone ?? 'info'}
            allowDeselect={false}
            onChange={(tone) => set({ tone: (tone as FormField['tone']) ?? undefined })}
            w={180}
          />
        ) : null}
        {TEXT_TYPES.includes(field.type) ? (
          <NumberInput
            label={t('field.maxLength')}
            value={field.maxLength ?? ''}
            min={1}
            max={FORM_LIMITS.answerText}
            allowDecimal={false}
            onChange={(v) => set({ maxLength: numberOrUndefined(v) })}
            error={errors.maxLength}
            w={160}
          />
        ) : null}
        {field.type === 'number' ? (
          <>
            <NumberInput
              label={t('field.min')}
              value={field.min ?? ''}
              onChange={(v) => set({ min: numberOrUndefined(v) })}
              error={errors.min}
              w={130}
            />
            <NumberInput
              label={t('field.max')}
              value={field.max ?? ''}
              onChange={(v) => set({ max: numberOrUndefined(v) })}
              error={errors.max}
              w={130}
            />
          </>
        ) : null}
        {field.type === 'file' ? (
          <>
            <NumberInput
              label={t('field.maxMegabytes')}
              value={field.maxBytes ? Math.round((field.maxBytes / 1024 / 1024) * 10) / 10 : ''}
              min={0.1}
              max={FORM_LIMITS.fileBytes / 1024 / 1024}
              decimalScale={1}
              onChange={(v) => {
                const mb = numberOrUndefined(v);
                set({ maxBytes: mb === undefined ? undefined : Math.round(mb * 1024 * 1024) });
              }}
              error={errors.maxBytes}
              w={170}
            />
            <TagsInput
              label={t('field.accept')}
              description={t('field.acceptHint')}
              value={field.accept ?? []}
              onChange={(accept) => set({ accept: accept.length > 0 ? accept : undefined })}
              error={errors.accept}
              w={280}
            />
          </>
        ) : null}
      </Group>

      {choice ? (
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            {t('option.title')}
          </Text>
          {errors.options ? (
            <Text size="sm" c="red" role="alert">
              {errors.options}
            </Text>
          ) : null}
          {options.map((option, o) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place (their value changes as typed)
            <Paper key={o} withBorder p="xs" radius="sm" data-testid="option-row">
              <Group gap="xs" align="flex-end" wrap="wrap">
                <TextInput
                  size="xs"
                  label={t('option.value')}
                  value={option.value}
                  dir="ltr"
                  maxLength={FORM_LIMITS.optionValue}
                  error={errors[`options.${o}.value`]}
                  onChange={(e) =>
                    setOptions(options.map((x, i) => (i === o ? { ...x, value: e.currentTarget.value } : x)))
                  }
                  w={140}
                />
                <div style={{ flex: '1 1 180px' }}>
                  <LocalizedInput
                    {...text}
                    label={t('option.label')}
                    text={option.label}
                    onChange={(label) =>
                      setOptions(options.map((x, i) => (i === o ? { ...x, label: label ?? {} } : x)))
                    }
                    max={FORM_LIMITS.label}
                    required
                    error={errors[`options.${o}.label`]}
                    testId="option-label"
                  />
                </div>
                {props.categories.length > 0 ? (
                  <Select
                    size="xs"
                    label={t('option.category')}
                    placeholder={t('option.noCategory')}
                    data={props.categories}
                    value={option.category ?? null}
                    clearable
                    searchable
                    onChange={(category) =>
                      setOptions(options.map((x, i) => (i === o ? { ...x, category: category ?? undefined } : x)))
                    }
                    w={170}
                  />
                ) : null}
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    disabled={o === 0}
                    onClick={() => moveOption(o, o - 1)}
                    aria-label={t('option.up', { value: option.value })}
                  >
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    disabled={o === options.length - 1}
                    onClick={() => moveOption(o, o + 1)}
                    aria-label={t('option.down', { value: option.value })}
                  >
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    disabled={options.length === 1}
                    onClick={() => setOptions(options.filter((_, i) => i !== o))}
                    aria-label={t('option.remove', { value: option.value })}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              </Group>
            </Paper>
          ))}
          {options.length < FORM_LIMITS.options ? (
            <Button
              size="compact-sm"
              variant="light"
              w="fit-content"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => {
                let n = options.length + 1;
                while (options.some((x) => x.value === `option-${n}`)) n++;
                setOptions([...options, { value: `option-${n}`, label: {} }]);
              }}
            >
              {t('option.add')}
            </Button>
          ) : null}
        </Stack>
      ) : null}

      {field.type !== 'hidden' ? (
        <Stack gap="sm">
          {CONDITION_KEYS.filter((key) => key !== 'requireIf' || field.type !== 'notice').map((key) => {
            const condition = field[key];
            return (
              <ConditionSection
                key={key}
                testId={`condition-${key}`}
                title={t(`condition.${key}`)}
                condition={condition}
                onChange={(next: Condition | undefined) => set({ [key]: next })}
                candidates={candidates}
                locale={locale}
                defaultLocale={defaultLocale}
                sentence={
                  condition
                    ? t(`condition.lead.${key}`, {
                        condition: describeCondition(condition, props.fields, locale, defaultLocale, t),
                      })
                    : null
                }
                error={errors[key]}
              />
            );
          })}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** The header row of a field in the list: its label, type and badges, with move and delete. */
export function FieldHeader(props: {
  field: FormField;
  index: number;
  count: number;
  label: string;
  missing: string[];
  hasErrors: boolean;
  open: boolean;
  onToggle: () => void;
  onMove: (to: number) => void;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation('forms');
  const { field } = props;
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between" align="center">
      <button
        type="button"
        className="al-field-toggle"
        aria-expanded={props.open}
        onClick={props.onToggle}
        data-testid={`field-${field.name}`}
      >
        <Text fw={600} size="sm" truncate="end" dir="auto">
          {props.label || field.name}
        </Text>
        <Group gap={4} wrap="wrap">
          <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
            {t(`type.${field.type}`)}
          </Badge>
          {field.required ? (
            <Badge size="xs" variant="light" color="blue" radius="sm" tt="none">
              {t('badge.required')}
            </Badge>
          ) : null}
          {field.showIf || field.hideIf || field.requireIf ? (
            <Badge size="xs" variant="light" color="violet" radius="sm" tt="none">
              {t('badge.conditional')}
            </Badge>
          ) : null}
          {props.missing.length > 0 ? (
            <Badge size="xs" variant="default" radius="sm" tt="none">
              {t('badge.missing', { locales: props.missing.join(', ') })}
            </Badge>
          ) : null}
          {props.hasErrors ? (
            <Badge size="xs" variant="filled" color="red" radius="sm" tt="none">
              {t('badge.error')}
            </Badge>
          ) : null}
        </Group>
      </button>
      <Group gap={2} wrap="nowrap">
        <ActionIcon
          variant="subtle"
          disabled={props.index === 0}
          onClick={() => props.onMove(props.index - 1)}
          aria-label={t('builder.moveUp', { name: field.name })}
        >
          <IconArrowUp size={16} aria-hidden />
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          disabled={props.index === props.count - 1}
          onClick={() => props.onMove(props.index + 1)}
          aria-label={t('builder.moveDown', { name: field.name })}
        >
          <IconArrowDown size={16} aria-hidden />
        </ActionIcon>
        {props.children}
      </Group>
    </Group>
  );
}
