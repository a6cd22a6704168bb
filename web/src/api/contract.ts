/**
 * The API's types for the app, taken from the server's schema modules (z.infer), so a change of the API breaks the
 * app's typecheck. Aliases keep the app's names stable where the server names differ. Types only: nothing of the
 * server is bundled.
 */
import type {
  AuditEntryView,
  CreateTokenRequest,
  MeResponse,
  TokenListResponse,
  UserListResponse,
} from '../../../src/modules/accounts/accounts.schema.js';
import type {
  ArticleEditorResponse,
  ArticleRowsQuery,
  ArticleRowsResponse,
  DiffPartView,
  PriceView,
  RegionView,
  TopicNodeView,
  TopicTreeResponse,
  TranslationCell,
  TranslationQueueItem,
  TranslationStatusValue,
} from '../../../src/modules/content/content-admin.schema.js';
import type { ListLocalesResponse, LocaleView } from '../../../src/modules/content/locales.schema.js';

export type {
  AuditQuery,
  AuditResponse,
  CreateTokenResponse,
  CreateUserRequest,
  CreateUserResponse,
  LoginRequest,
  Settings,
  SettingsResponse,
  TokenView,
  UpdateMeRequest,
  UpdateUserRequest,
  UserResponse,
  UserView,
} from '../../../src/modules/accounts/accounts.schema.js';
export type { SaveArticleRequest, SaveTopicRequest } from '../../../src/modules/content/content.schema.js';
export type {
  ArticleRow,
  DiffResponse,
  MoveTopicRequest,
  PreviewRequest,
  PreviewResponse,
  RegionsResponse,
  RevisionSummary,
  RevisionView,
  SavePriceRequest,
  SaveRegionRequest,
  SourceDiffResponse,
} from '../../../src/modules/content/content-admin.schema.js';
export type { CreateLocaleRequest, UpdateLocaleRequest } from '../../../src/modules/content/locales.schema.js';
export type { Permission, Role } from '../../../src/shared/permissions.js';

export type SessionResponse = MeResponse;
export type UsersResponse = UserListResponse;
export type TokensResponse = TokenListResponse;
export type CreateTokenBody = CreateTokenRequest;
export type AuditEntry = AuditEntryView;
export type TranslationStatus = TranslationStatusValue;
export type ArticleRowTranslation = TranslationCell;
export type ArticleListQuery = Partial<ArticleRowsQuery>;
export type ArticleListResponse = ArticleRowsResponse;
export type ArticleDetail = ArticleEditorResponse;
export type DiffPart = DiffPartView;
export type QueueItem = TranslationQueueItem;
export type TopicRow = TopicNodeView;
export type TopicsResponse = TopicTreeResponse;
export type RegionRow = RegionView;
export type PriceRow = PriceView;
export type LocaleRow = LocaleView;
export type LocalesResponse = ListLocalesResponse;

/** Restore and mark-current answer the new revision's number. */
export interface RevisionNumberResponse {
  revision: number;
}
export interface TranslationQueueResponse {
  items: QueueItem[];
}
export interface RevisionsResponse {
  revisions: import('../../../src/modules/content/content-admin.schema.js').RevisionSummary[];
}
/** POST /api/articles (save a draft or publish). */
export interface SaveArticleResponse {
  slug: string;
  locale: string;
  revision: number;
  published: boolean;
  unchanged: boolean;
}
