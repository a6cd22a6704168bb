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
  /** The unguessable id the client got for this search (null for demo rows). */
  public_id: string | null;
  /** The article slugs the server returned, in order. */
  returned_slugs: Generated<string[]>;
  /** Keyed hash of the client's network, never the address. */
  network_key: string | null;
  /** Results matched but none answered the query (under the relevance floor). */
  weak: Generated<boolean>;
  created_at: CreatedAt;
}

/** Why a click does not count as evidence for suggestions and learned boosts. */
export type ClickSuspicion = 'unverified' | 'young-reader' | 'reader-budget' | 'network-budget';

export interface SearchClicksTable {
  id: Generated<BigId>;
  search_id: ColumnType<string | null, string | number | null, string | number | null>;
  locale: string;
  slug: string;
  position: number;
  kind: ClickKind;
  session_id: string | null;
  reader_id: string | null;
  network_key: string | null;
  /** Null when the click counts as evidence. */
  suspect: ClickSuspicion | null;
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

export type SuggestionRuleStatus = 'pinned' | 'banned';

export interface SearchSuggestionRulesTable {
  locale: string;
  normalized: string;
  text: string;
  status: SuggestionRuleStatus;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SearchTables {
  search_queries: SearchQueriesTable;
  search_clicks: SearchClicksTable;
  search_contacts: SearchContactsTable;
  search_synonyms: SearchSynonymsTable;
  search_suggestion_rules: SearchSuggestionRulesTable;
}
