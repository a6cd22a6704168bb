import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
// bigint identities come back as strings from node-postgres; we read them as text and convert at the edge.
type BigId = ColumnType<string, never, never>;

export type SearchSource = 'page' | 'api' | 'typeahead' | 'demo';
export type ClickKind = 'suggestion' | 'result';

export interface SearchQueriesTable {
  id: Generated<BigId>;
  locale: string;
  query: string;
  normalized: string;
  results: number;
  source: SearchSource;
  session_id: string | null;
  reader_id: string | null;
  had_personal_data: Generated<boolean>;
  /** Results matched but none answered the query (under the relevance floor). */
  weak: Generated<boolean>;
  created_at: CreatedAt;
}

export interface SearchClicksTable {
  id: Generated<BigId>;
  search_id: ColumnType<string | null, string | number | null, string | number | null>;
  locale: string;
  slug: string;
  position: number;
  kind: ClickKind;
  session_id: string | null;
  created_at: CreatedAt;
}

export interface SearchContactsTable {
  id: Generated<BigId>;
  session_id: string;
  locale: string | null;
  created_at: CreatedAt;
}

export interface SearchSynonymsTable {
  id: Generated<number>;
  locale: string;
  terms: string[];
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SearchTables {
  search_queries: SearchQueriesTable;
  search_clicks: SearchClicksTable;
  search_contacts: SearchContactsTable;
  search_synonyms: SearchSynonymsTable;
}
