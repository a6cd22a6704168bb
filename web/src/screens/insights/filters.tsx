import { Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'wouter';
import { useLocaleMap } from '../../api/locales.js';

/**
 * A screen's filters live in the URL query (?locale=ar&from=…), so a view can be shared or bookmarked and the back
 * button undoes a filter. Returns the current values and a setter that replaces the changed keys.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = (changes: Partial<Record<K, string | null>>) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes) as [K, string | null | undefined][]) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });
  };
  return { values, set };
}

/** A query object from filter values, leaving out the empty ones. */
export function queryOf<K extends string>(values: Record<K, string>): Record<K, string | undefined> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v || undefined])) as Record<
    K,
    string | undefined
  >;
}

export function LocaleFilter(props: { value: string; onChange: (value: string | null) => void; w?: number }) {
  const { t } = useTranslation('insights');
  const locales = useLocaleMap();
  return (
    <Select
      label={t('filter.locale')}
      placeholder={t('filter.allLocales')}
      data={locales.list.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
      value={props.value || null}
      onChange={props.onChange}
      clearable
      w={props.w ?? 170}
    />
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** From and to days (inclusive, UTC); empty means the server's default, the last 28 days. */
export function PeriodFilter(props: {
  from: string;
  to: string;
  onChange: (period: { from: string | null; to: string | null }) => void;
}) {
  const { t } = useTranslation('insights');
  return (
    <>
      <TextInput
        type="date"
        label={t('filter.from')}
        value={props.from}
        max={props.to || undefined}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v === '' || DAY.test(v)) props.onChange({ from: v || null, to: props.to || null });
        }}
        w={160}
      />
      <TextInput
        type="date"
        label={t('filter.to')}
        value={props.to}
        min={props.from || undefined}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v === '' || DAY.test(v)) props.onChange({ from: props.from || null, to: v || null });
        }}
        w={160}
      />
    </>
  );
}
