import type { ColumnType, Generated } from 'kysely';

export interface ContentLocalesTable {
  code: string;
  name: string;
  direction: Generated<'ltr' | 'rtl'>;
  /** Ordered chain of other locale codes to read from when a text is missing in this one. */
  fallback: Generated<string[]>;
  enabled: Generated<boolean>;
  position: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** The content module's locale configuration table (migration 0013). */
export interface LocalesTables {
  content_locales: ContentLocalesTable;
}
