import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { PERMISSIONS, type Permission, ROLES } from '../../shared/permissions.js';
import { ZText } from '../../shared/text.js';

/** The admin app's languages: a user's `locale`. */
export const UI_LANGUAGES = ['en', 'es', 'ru', 'ar', 'he', 'ja'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const ZRole = z.enum(ROLES, { error: () => `must be one of ${ROLES.join(', ')}` });
export const ZUiLanguage = z.enum(UI_LANGUAGES, { error: () => `must be one of ${UI_LANGUAGES.join(', ')}` });
export const ZPermission = z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]]);

/** A content locale code (configurable, so checked by form only: `fr`, `pt-BR`, `zh-Hant`). */
export const ZContentLocale = z
  .string()
  .max(20)
  .regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?$/, 'must be a locale code such as "fr" or "pt-BR"');

export const ZEmail = ZText.trim()
  .max(LIMITS.email)
  .pipe(z.email({ error: 'must be an email address' }))
  .transform((email) => email.toLowerCase());
export const ZUserName = ZText.trim().min(1).max(LIMITS.userName);
export const ZPassword = ZText.min(LIMITS.passwordMin, `must be at least ${LIMITS.passwordMin} characters`).max(
  LIMITS.passwordMax,
  `must be at most ${LIMITS.passwordMax} characters`,
);
const ZLocales = z.array(ZContentLocale).max(LIMITS.translatorLocales);

export const ZUserView = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  locale: z.string(),
  locales: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type UserView = z.infer<typeof ZUserView>;

export const ZLoginRequest = z.object({
  // Not ZEmail: a malformed email gets the same 401 as a wrong one.
  email: ZText.trim().min(1).max(LIMITS.email),
  password: ZText.min(1).max(LIMITS.passwordMax),
});
export type LoginRequest = z.infer<typeof ZLoginRequest>;

export const ZMeResponse = z.object({
  user: ZUserView,
  /** Send it back as `X-CSRF-Token` with every state-changing request of this session. */
  csrfToken: z.string(),
  permissions: z.array(ZPermission),
});
export type MeResponse = z.infer<typeof ZMeResponse>;
export const ZLoginResponse = ZMeResponse;
export type LoginResponse = MeResponse;

export const ZLogoutResponse = z.object({ signedOut: z.literal(true) });

export const ZUpdateMeRequest = z
  .object({
    name: ZUserName.optional(),
    locale: ZUiLanguage.optional(),
    currentPassword: ZText.max(LIMITS.passwordMax).optional(),
    newPassword: ZPassword.optional(),
  })
  .refine((body) => body.newPassword === undefined || body.currentPassword !== undefined, {
    message: 'give your current password to set a new one',
    path: ['currentPassword'],
  });
export type UpdateMeRequest = z.infer<typeof ZUpdateMeRequest>;
export const ZUserResponse = z.object({ user: ZUserView });
export type UserResponse = z.infer<typeof ZUserResponse>;

export const ZUserListResponse = z.object({ users: z.array(ZUserView) });
export type UserListResponse = z.infer<typeof ZUserListResponse>;

export const ZCreateUserRequest = z.object({
  email: ZEmail,
  name: ZUserName,
  role: ZRole,
  locale: ZUiLanguage.default('en'),
  locales: ZLocales.optional(),
  password: ZPassword.optional(),
});
export type CreateUserRequest = z.input<typeof ZCreateUserRequest>;
export const ZCreateUserResponse = z.object({
  user: ZUserView,
  /** The generated password, shown once, when none was given. */
  password: z.string().optional(),
});
export type CreateUserResponse = z.infer<typeof ZCreateUserResponse>;

export const ZUpdateUserRequest = z.object({
  name: ZUserName.optional(),
  role: ZRole.optional(),
  locale: ZUiLanguage.optional(),
  locales: ZLocales.optional(),
  active: z.boolean().optional(),
  password: ZPassword.optional(),
});
export type UpdateUserRequest = z.infer<typeof ZUpdateUserRequest>;

export const ZUserParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
export const ZRevokeSessionsResponse = z.object({ revoked: z.number().int() });
export type RevokeSessionsResponse = z.infer<typeof ZRevokeSessionsResponse>;

export const ZTokenView = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The token's first characters, to tell tokens apart. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenView = z.infer<typeof ZTokenView>;
export const ZTokenListResponse = z.object({ tokens: z.array(ZTokenView) });
export type TokenListResponse = z.infer<typeof ZTokenListResponse>;
export const ZCreateTokenRequest = z.object({
  name: ZText.trim().min(1).max(LIMITS.apiTokenName),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenRequest = z.infer<typeof ZCreateTokenRequest>;
export const ZCreateTokenResponse = z.object({
  token: ZTokenView,
  /** `al_pat_…`: shown once, send as `Authorization: Bearer <secret>`. */
  secret: z.string(),
});
export type CreateTokenResponse = z.infer<typeof ZCreateTokenResponse>;
export const ZTokenParams = ZUserParams;
export const ZRevokeTokenResponse = z.object({ revoked: z.literal(true) });

const ZIsoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2025-01-31T00:00:00Z' });
export const ZAuditQuery = z.object({
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  /** A user id, or a substring of the actor's label (their email). */
  actor: ZText.trim().min(1).max(LIMITS.email).optional(),
  /** A prefix of the action: `user.` or `POST /api/articles`. */
  action: ZText.trim().min(1).max(200).optional(),
  objectType: ZText.trim().min(1).max(60).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.auditPage).default(50),
  /** An entry id: the page of entries older than it (`nextBefore` of the previous page). */
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, 'must be an entry id')
    .optional(),
});
export type AuditQuery = z.infer<typeof ZAuditQuery>;
export const ZAuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ userId: z.number().int().nullable(), label: z.string(), via: z.string() }),
  action: z.string(),
  object: z.object({ type: z.string(), id: z.string() }),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});
export type AuditEntryView = z.infer<typeof ZAuditEntryView>;
export const ZAuditResponse = z.object({ entries: z.array(ZAuditEntryView), nextBefore: z.string().nullable() });
export type AuditResponse = z.infer<typeof ZAuditResponse>;

/** The help center's settings, as the API shows them. */
export const ZSettings = z.object({
  helpCenterName: z.string(),
  supportEmail: z.string(),
  /** A session unused this long signs out. */
  sessionIdleHours: z.number().int(),
  /** A session ends this long after sign-in, however active. */
  sessionMaxDays: z.number().int(),
});
export type Settings = z.infer<typeof ZSettings>;
/** A change of some settings (PUT is partial: fields left out keep their value). */
export const ZUpdateSettingsRequest = z.object({
  helpCenterName: ZText.trim().min(1).max(LIMITS.helpCenterName).optional(),
  supportEmail: ZText.trim()
    .max(LIMITS.email)
    .pipe(z.email({ error: 'must be an email address' }))
    .optional(),
  sessionIdleHours: z.number().int().min(1).max(720).optional(),
  sessionMaxDays: z.number().int().min(1).max(365).optional(),
});
export type UpdateSettingsRequest = z.infer<typeof ZUpdateSettingsRequest>;
export const ZSettingsResponse = z.object({ settings: ZSettings });
export type SettingsResponse = z.infer<typeof ZSettingsResponse>;

export const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
