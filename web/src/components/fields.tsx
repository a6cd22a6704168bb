import { Textarea, type TextareaProps, TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * Inputs that check a limit from src/shared/limits.ts as the user types: the count shows near the limit, and past
 * it the field is in error with the same limit the server enforces.
 */
function useLimit(value: string, max: number, required: boolean | undefined) {
  const { t } = useTranslation();
  const length = [...value].length;
  const error =
    length > max ? t('field.tooLong', { max, count: length }) : required && length === 0 ? t('field.required') : null;
  const hint = length > max * 0.8 ? t('field.count', { count: length, max }) : undefined;
  return { error, hint };
}

export function LimitedTextInput(props: TextInputProps & { value: string; max: number; showRequired?: boolean }) {
  const { max, showRequired, ...rest } = props;
  const { error, hint } = useLimit(props.value, max, showRequired);
  return <TextInput {...rest} error={props.error ?? error} description={props.description ?? hint} />;
}

export function LimitedTextarea(props: TextareaProps & { value: string; max: number; showRequired?: boolean }) {
  const { max, showRequired, ...rest } = props;
  const { error, hint } = useLimit(props.value, max, showRequired);
  return <Textarea {...rest} error={props.error ?? error} description={props.description ?? hint} />;
}

/** True when every value is within its limit and the required ones are not empty. */
export function withinLimits(fields: { value: string; max: number; required?: boolean }[]): boolean {
  return fields.every(({ value, max, required }) => {
    const length = [...value].length;
    return length <= max && (!required || length > 0);
  });
}
