import { Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../../src/modules/forms/form-logic.js';

/** Sets one locale's text; an emptied text is removed so the locale counts as missing again. */
export function setText(text: LocalizedText | undefined, locale: string, value: string): LocalizedText | undefined {
  const next = { ...(text ?? {}) };
  if (value === '') delete next[locale];
  else next[locale] = value;
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * One text of the form in the locale being edited. Beside another locale than the default, the default locale's
 * text is shown as the placeholder: what readers of this locale see until it is translated.
 */
export function LocalizedInput(props: {
  label: string;
  text: LocalizedText | undefined;
  onChange: (next: LocalizedText | undefined) => void;
  locale: string;
  defaultLocale: string;
  dir: 'ltr' | 'rtl';
  max: number;
  required?: boolean;
  multiline?: boolean;
  error?: string | undefined;
  testId?: string;
}) {
  const { t } = useTranslation('forms');
  const value = props.text?.[props.locale] ?? '';
  const fallback = props.locale === props.defaultLocale ? undefined : props.text?.[props.defaultLocale];
  const required = props.required && props.locale === props.defaultLocale;
  const error =
    props.error ??
    ([...value].length > props.max
      ? t('builder.tooLong', { max: props.max })
      : required && value.trim() === ''
        ? t('builder.requiredInDefault', { locale: props.defaultLocale })
        : undefined);
  const common = {
    label: `${props.label} (${props.locale})`,
    value,
    placeholder: fallback,
    dir: props.dir,
    lang: props.locale,
    required,
    error,
    'data-testid': props.testId,
    onChange: (e: { currentTarget: { value: string } }) =>
      props.onChange(setText(props.text, props.locale, e.currentTarget.value)),
  };
  return props.multiline ? <Textarea {...common} autosize minRows={2} maxRows={8} /> : <TextInput {...common} />;
}
