import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FORM_LIMITS } from '../../../../src/modules/forms/form-limits.js';
import { CHOICE_TYPES, type Condition, type FormField, localized } from '../../../../src/modules/forms/form-logic.js';
import { type Comparison, comparisonsFor, newRule, type Rule, withComparison } from './conditions.js';

interface NodeProps {
  condition: Condition;
  onChange: (next: Condition) => void;
  onRemove: () => void;
  candidates: FormField[];
  locale: string;
  defaultLocale: string;
  depth: number;
}

/** A condition tree: groups (all / any, each optionally negated) of rules on earlier fields, nested. */
export function ConditionNode(props: NodeProps) {
  const { condition } = props;
  if ('not' in condition) {
    // "not" shows as a tick on the group or rule it wraps; unticking unwraps it.
    return (
      <Node
        {...props}
        condition={condition.not}
        onChange={(inner) => props.onChange({ not: inner })}
        negated
        onToggleNot={() => props.onChange(condition.not)}
      />
    );
  }
  return <Node {...props} negated={false} onToggleNot={() => props.onChange({ not: condition })} />;
}

function Node(props: NodeProps & { negated: boolean; onToggleNot: () => void }) {
  const { t } = useTranslation('forms');
  const { condition, candidates } = props;
  const notBox = <Checkbox size="xs" label={t('condition.not')} checked={props.negated} onChange={props.onToggleNot} />;
  if ('all' in condition || 'any' in condition) {
    const mode = 'all' in condition ? 'all' : 'any';
    const parts = 'all' in condition ? condition.all : condition.any;
    const set = (next: Condition[]) => {
      if (next.length === 0) props.onRemove();
      else props.onChange(mode === 'all' ? { all: next } : { any: next });
    };
    const first = candidates[0];
    return (
      <Paper withBorder p="xs" radius="sm" className="al-condition-group">
        <Stack gap="xs">
          <Group gap="sm" wrap="wrap">
            <SegmentedControl
              size="xs"
              value={mode}
              onChange={(value) => props.onChange(value === 'all' ? { all: parts } : { any: parts })}
              data={[
                { value: 'all', label: t('condition.all') },
                { value: 'any', label: t('condition.any') },
              ]}
              aria-label={t('condition.match')}
            />
            {notBox}
            <ActionIcon
              variant="subtle"
              color="red"
              ms="auto"
              onClick={props.onRemove}
              aria-label={t('condition.removeGroup')}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
          {parts.map((part, index) => (
            <ConditionNode
              // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a condition have no identity of their own
              key={index}
              {...props}
              depth={props.depth + 1}
              condition={part}
              onChange={(next) => set(parts.map((p, i) => (i === index ? next : p)))}
              onRemove={() => set(parts.filter((_, i) => i !== index))}
            />
          ))}
          {first && parts.length < FORM_LIMITS.conditionTerms ? (
            <Group gap="xs">
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => set([...parts, newRule(first)])}
              >
                {t('condition.addRule')}
              </Button>
              {props.depth < FORM_LIMITS.conditionDepth - 2 ? (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() => set([...parts, { any: [newRule(first)] }])}
                >
                  {t('condition.addGroup')}
                </Button>
              ) : null}
            </Group>
          ) : null}
        </Stack>
      </Paper>
    );
  }
  if ('not' in condition) {
    // A double negation (only from hand-written JSON): edited one level down.
    return <ConditionNode {...props} />;
  }
  return <RuleEditor {...props} rule={condition} notBox={notBox} />;
}

function RuleEditor(props: NodeProps & { rule: Rule; notBox: React.ReactNode }) {
  const { t } = useTranslation('forms');
  const { rule, candidates, locale, defaultLocale } = props;
  const field = candidates.find((f) => f.name === rule.field);
  const label = (f: FormField) => localized(f.label, locale, defaultLocale) || f.name;
  const fieldData = candidates.map((f) => ({ value: f.name, label: label(f) }));
  // A rule on a field that is no longer earlier stays visible, so the operator sees what the server will refuse.
  if (!field) fieldData.push({ value: rule.field, label: `${rule.field} ⚠` });
  const choices = field && CHOICE_TYPES.includes(field.type);
  const options = (field?.options ?? []).map((o) => ({
    value: o.value,
    label: localized(o.label, locale, defaultLocale) || o.value,
  }));
  const asValue = (text: string): string | number =>
    field?.type === 'number' && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

  let valueInput: React.ReactNode = null;
  if (rule.op === 'oneOf') {
    valueInput = choices ? (
      <MultiSelect
        size="xs"
        aria-label={t('condition.value')}
        data={options}
        value={rule.value.map(String)}
        onChange={(values) => props.onChange({ ...rule, value: values })}
        w={220}
      />
    ) : (
      <TagsInput
        size="xs"
        aria-label={t('condition.value')}
        value={rule.value.map(String)}
        onChange={(values) => props.onChange({ ...rule, value: values.map(asValue) })}
        w={220}
      />
    );
  } else if (rule.op !== 'empty') {
    const current = String(rule.value);
    valueInput = choices ? (
      <Select
        size="xs"
        aria-label={t('condition.value')}
        data={options}
        value={current}
        onChange={(value) => props.onChange({ ...rule, value: value ?? '' } as Rule)}
        allowDeselect={false}
        w={200}
      />
    ) : (
      <TextInput
        size="xs"
        aria-label={t('condition.value')}
        type={field?.type === 'date' ? 'date' : field?.type === 'number' ? 'number' : 'text'}
        value={current}
        maxLength={FORM_LIMITS.label}
        onChange={(e) => {
          const text = e.currentTarget.value;
          props.onChange({ ...rule, value: rule.op === 'contains' ? text : asValue(text) } as Rule);
        }}
        w={180}
      />
    );
  }

  return (
    <Group gap="xs" wrap="wrap" align="center" className="al-condition-rule" data-testid="condition-rule">
      <Select
        size="xs"
        aria-label={t('condition.field')}
        data={fieldData}
        value={rule.field}
        onChange={(name) => {
          const target = candidates.find((f) => f.name === name);
          if (target) props.onChange(newRule(target));
        }}
        allowDeselect={false}
        w={200}
      />
      <Select
        size="xs"
        aria-label={t('condition.comparison')}
        data={comparisonsFor(field).map((op) => ({ value: op, label: t(`condition.op.${op}`) }))}
        value={rule.op}
        onChange={(op) => op && props.onChange(withComparison(rule, op as Comparison))}
        allowDeselect={false}
        w={150}
      />
      {valueInput}
      {props.notBox}
      <ActionIcon variant="subtle" color="red" onClick={props.onRemove} aria-label={t('condition.removeRule')}>
        <IconTrash size={16} aria-hidden />
      </ActionIcon>
    </Group>
  );
}

/** One of a field's conditions (show / hide / require when), with its sentence, add and remove. */
export function ConditionSection(props: {
  title: string;
  condition: Condition | undefined;
  onChange: (next: Condition | undefined) => void;
  candidates: FormField[];
  locale: string;
  defaultLocale: string;
  sentence: string | null;
  error?: string | undefined;
  testId: string;
}) {
  const { t } = useTranslation('forms');
  const first = props.candidates[0];
  return (
    <Stack gap={6} data-testid={props.testId}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {props.title}
        </Text>
        {!props.condition && first ? (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => props.onChange({ all: [newRule(first)] })}
          >
            {t('condition.add')}
          </Button>
        ) : null}
      </Group>
      {props.condition ? (
        <>
          <Text size="sm" c="dimmed" data-testid="condition-sentence">
            {props.sentence}
          </Text>
          <ConditionNode
            condition={props.condition}
            onChange={props.onChange}
            onRemove={() => props.onChange(undefined)}
            candidates={props.candidates}
            locale={props.locale}
            defaultLocale={props.defaultLocale}
            depth={1}
          />
        </>
      ) : !first ? (
        <Text size="xs" c="dimmed">
          {t('condition.noEarlier')}
        </Text>
      ) : null}
      {props.error ? (
        <Text size="sm" c="red" role="alert">
          {props.error}
        </Text>
      ) : null}
    </Stack>
  );
}
