/**
 * The API contract of issue #9 as types, for the parts whose server schemas have not landed on this branch yet.
 * When a module's `*.schema.ts` exports the z.infer types, replace the matching block here by
 * `export type { … } from '../../../src/modules/<module>/<module>.schema.js'` so the app is typed against the server.
 */
import type { Permission, Role } from '../../../src/shared/permissions.js';

export type { Permission, Role };

// ---- accounts (h/accounts) ----
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Admin UI language. */
  locale: string;
  /** Content locales a translator may edit; [] otherwise. */
  locales: string[];
  active: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}
export interface LoginRequest {
  email: string;
  password: string;
}
export interface SessionResponse {
  user: UserView;
  csrfToken: string;
  permissions: Permission[];
}
export interface UpdateMeRequest {
  name?: string;
  locale?: string;
  currentPassword?: string;
  newPassword?: string;
}
export interface UserResponse {
  user: UserView;
}
export interface UsersResponse {
  users: UserView[];
}
export interface CreateUserRequest {
  email: string;
  name: string;
  role: Role;
  locale: string;
  locales?: string[];
  password?: string;
}
export interface CreateUserResponse {
  user: UserView;
  password?: string;
}
export interface UpdateUserRequest {
  name?: string;
  role?: Role;
  locale?: string;
  locales?: string[];
  active?: boolean;
  password?: string;
}
export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}
export interface TokensResponse {
  tokens: TokenView[];
}
export interface CreateTokenResponse {
  token: TokenView;
  secret: string;
}
export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId: string | null; label: string; via: string };
  action: string;
  object: { type: string; id: string };
  changes: Record<string, { before: unknown; after: unknown }>;
}
export interface AuditResponse {
  entries: AuditEntry[];
  nextBefore: string | null;
}
export interface Settings {
  helpCenterName: string;
  supportEmail: string;
  sessionIdleHours: number;
  sessionMaxDays: number;
}
export interface SettingsResponse {
  settings: Settings;
}

// ---- content back office (h/content-api) ----
export type TranslationStatus = 'published' | 'draft' | 'outdated' | 'missing';
export interface ArticleRowTranslation {
  status: TranslationStatus;
  title: string | null;
  latestRevision: number | null;
  publishedRevision: number | null;
  author: string | null;
  updatedAt: string | null;
}
export interface ArticleRow {
  slug: string;
  topic: { slug: string; name: string };
  sourceLocale: string;
  position: number;
  updatedAt: string;
  translations: Record<string, ArticleRowTranslation>;
}
export interface ArticleListQuery {
  q?: string;
  topic?: string;
  locale?: string;
  status?: TranslationStatus;
  author?: string;
  limit?: number;
  offset?: number;
}
export interface ArticleListResponse {
  articles: ArticleRow[];
  total: number;
  counts: Record<TranslationStatus, number>;
}
export interface RevisionView {
  number: number;
  title: string;
  keywords: string[];
  bodyMarkdown: string;
  author: string | null;
  createdAt: string;
  sourceRevision: number | null;
  published: boolean;
}
export type RevisionSummary = Omit<RevisionView, 'bodyMarkdown'>;
export interface ArticleDetail {
  slug: string;
  topic: { slug: string; name: string };
  position: number;
  sourceLocale: string;
  translations: {
    locale: string;
    status: TranslationStatus;
    publishedRevision: number | null;
    latest: RevisionView | null;
  }[];
}
export interface RevisionsResponse {
  revisions: RevisionSummary[];
}
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface DiffResponse {
  from: number;
  to: number;
  title: DiffPart[];
  body: DiffPart[];
}
export interface RestoreResponse {
  revision: RevisionView;
}
export interface PreviewRequest {
  markdown: string;
  locale: string;
  region?: string;
}
export interface PreviewResponse {
  html: string;
  toc: { id: string; text: string; level: number }[];
}
export interface SourceDiffResponse {
  sourceLocale: string;
  fromRevision: number | null;
  toRevision: number;
  body: DiffPart[];
  title: DiffPart[];
}
export interface MarkCurrentResponse {
  revision: RevisionView;
}
export interface QueueItem {
  slug: string;
  locale: string;
  status: 'outdated' | 'missing';
  sourceTitle: string;
  title: string | null;
  views: number;
  sourceRevision: number;
  translatedFrom: number | null;
}
export interface TranslationQueueResponse {
  items: QueueItem[];
}
export interface SaveArticleRequest {
  slug: string;
  locale: string;
  title: string;
  body: string;
  keywords?: string[];
  topic: string;
  position?: number;
  publish?: boolean;
  sourceRevision?: number;
}
export interface TopicRow {
  slug: string;
  parent: string | null;
  position: number;
  names: Record<string, { name: string; description: string }>;
  articleCount: number;
}
export interface TopicsResponse {
  topics: TopicRow[];
}
export interface RegionRow {
  code: string;
  name: string;
  currency: string;
  countries: string[];
  theme: Record<string, string>;
  isDefault: boolean;
}
export interface RegionsResponse {
  regions: RegionRow[];
  prices: { key: string; amounts: Record<string, number> }[];
}

// ---- locales (h/locales) ----
export interface LocaleRow {
  code: string;
  name: string;
  direction: 'ltr' | 'rtl';
  fallback: string[];
  enabled: boolean;
  uiLanguage: string;
  builtIn: boolean;
  position: number;
}
export interface LocalesResponse {
  locales: LocaleRow[];
}
