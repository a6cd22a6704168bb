export type { AccountsTables, AuditChanges, AuditVia } from './accounts.tables.js';
export { auditActorOf, installAuditTrail } from './audit-trail.js';
export {
  type AuditActor,
  type AuditEntry,
  auditActorFrom,
  CLI_ACTOR,
  diffFields,
  recordAudit,
  SYSTEM_ACTOR,
} from './record-audit.js';
