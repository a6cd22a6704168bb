export type { AccountsTables, AuditChanges, AuditVia } from './accounts.tables.js';
export type * from './accounts.schema.js';
export { accountsRoutes, SELF_AUTHENTICATED_ROUTES } from './accounts.routes.js';
export { auditActorOf, installAuditTrail } from './audit-trail.js';
export { createAccountsAuthenticator, TOKEN_PREFIX } from './authenticator.js';
export { createUser } from './create-user.js';
export { ensureFirstAdmin, type FirstAdmin } from './ensure-first-admin.js';
export { THROTTLE } from './login-throttle.js';
export { generatePassword } from './passwords.js';
export { SESSION_COOKIE } from './sessions.js';
export { getSettings, SettingsCache, updateSettings } from './settings.js';
export { updateUser } from './update-user.js';
export {
  type AuditActor,
  type AuditEntry,
  auditActorFrom,
  CLI_ACTOR,
  diffFields,
  recordAudit,
  SYSTEM_ACTOR,
} from './record-audit.js';
