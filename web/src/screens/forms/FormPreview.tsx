import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  NumberInput,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Answers,
  type FormDefinition,
  fieldStates,
  normalizeAnswer,
} from '../../../../src/modules/forms/form-logic.js';
import {
  type LocaleReading,
  type PublicField,
  presentPublicForm,
  publicFormAsDefinition,
} from '../../../../src/modules/forms/present-form.js';

const TONE_COLOR = { info: 'blue', warning: 'yellow', danger: 'red' } as const;

/**
 * The form as a reader of `locale` sees it, evaluated by the same code as the site's island: the definition is
 * presented for the locale (texts along its fallback chain) and its conditions run through form-logic's fieldStates
 * on what is typed here. Nothing is sent anywhere.
 */
export function FormPreview(props: {
  formKey: string;
  version: number;
  definition: FormDefinition;
  locale: string;
  locales: LocaleReading;
}) {
  const { t } = useTranslation('forms');
  const [raw, setRaw] = useState<Record<string, unknown>>({});
  const publicForm = useMemo(
    () =>
      presentPublicForm(
        {
          id: 0,
          key: props.formKey,
          version: props.version,
          enabled: true,
          position: 0,
          definition: props.definition,
          updatedAt: new Date(),
        },
        props.locale,
        props.locales,
      ),
    [props.formKey, props.version, props.definition, props.locale, props.locales],
  );
  const definition = useMemo(() => publicFormAsDefinition(publicForm), [publicForm]);
  const answers: Answers = {};
  for (const field of definition.fields) {
    const value = normalizeAnswer(field, raw[field.name]);
    if (value !== undefined) answers[field.name] = value;
  }
  const { states } = fieldStates(definition, answers);
  const set = (name: string, value: unknown) => setRaw((current) => ({ ...current, [name]: value }));

  const render = (field: PublicField) => {
    const state = states[field.name] ?? { visible: true, required: false };
    const common = {
      label: field.label,
      description: field.help,
      required: state.required,
      'data-preview-field': field.name,
    };
    switch (field.type) {
      case 'notice':
        return (
          <Alert color={TONE_COLOR[field.tone ?? 'info']} title={field.label} data-preview-field={field.name}>
            {field.help}
          </Alert>
        );
      case 'hidden':
        return (
          <Text size="xs" c="dimmed" data-preview-field={field.name} dir="auto">
            {t('preview.hidden', { name: field.name })}
          </Text>
        );
      case 'textarea':
        return (
          <Textarea
            {...common}
            placeholder={field.placeholder}
            autosize
            minRows={3}
            value={String(raw[field.name] ?? '')}
            onChange={(e) => set(field.name, e.currentTarget.value)}
          />
        );
      case 'select':
        return (
          <Select
            {...common}
            data={field.options}
            value={(raw[field.name] as string | undefined) ?? null}
            onChange={(value) => set(field.name, value ?? undefined)}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
        );
      case 'radio':
        return (
          <Radio.Group
            {...common}
            value={(raw[field.name] as string | undefined) ?? ''}
            onChange={(value) => set(field.name, value)}
          >
            <Stack gap={6} mt={4}>
              {field.options.map((option) => (
                <Radio key={option.value} value={option.value} label={option.label} />
              ))}
            </Stack>
          </Radio.Group>
        );
      case 'checkboxes':
        return (
          <Checkbox.Group
            {...common}
            value={(raw[field.name] as string[] | undefined) ?? []}
            onChange={(value) => set(field.name, value)}
          >
            <Stack gap={6} mt={4}>
              {field.options.map((option) => (
                <Checkbox key={option.value} value={option.value} label={option.label} />
              ))}
            </Stack>
          </Checkbox.Group>
        );
      case 'number':
        return (
          <NumberInput
            {...common}
            placeholder={field.placeholder}
            min={field.min}
            max={field.max}
            value={(raw[field.name] as number | string | undefined) ?? ''}
            onChange={(value) => set(field.name, value)}
          />
        );
      case 'file':
        return (
          <FileInput
            {...common}
            accept={field.accept?.join(',')}
            clearable
            onChange={(file) =>
              set(field.name, file ? { filename: file.name, contentType: file.type, size: file.size } : undefined)
            }
          />
        );
      default:
        return (
          <TextInput
            {...common}
            type={field.type === 'email' ? 'email' : field.type === 'date' ? 'date' : 'text'}
            placeholder={field.placeholder}
            value={String(raw[field.name] ?? '')}
            onChange={(e) => set(field.name, e.currentTarget.value)}
          />
        );
    }
  };

  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      className="al-form-preview"
      dir={publicForm.dir}
      lang={props.locale}
      data-testid="form-preview"
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          {publicForm.title}
        </Title>
        {publicForm.description ? (
          <Text size="sm" c="dimmed">
            {publicForm.description}
          </Text>
        ) : null}
        {publicForm.fields.map((field) => (
          <div key={field.name} className="form-field" data-field={field.name} hidden={!states[field.name]?.visible}>
            {render(field)}
          </div>
        ))}
        <Button disabled w="fit-content">
          {publicForm.submitLabel ?? t('preview.submit')}
        </Button>
        <Button variant="subtle" size="compact-sm" w="fit-content" onClick={() => setRaw({})}>
          {t('preview.reset')}
        </Button>
      </Stack>
    </Paper>
  );
}
