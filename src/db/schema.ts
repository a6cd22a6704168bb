import type { JobsTables } from '../jobs/jobs.tables.js';
import type { AccountsTables } from '../modules/accounts/accounts.tables.js';
import type { ClassifyTables } from '../modules/classify/classify.tables.js';
import type { ContentTables } from '../modules/content/content.tables.js';
import type { LocalesTables } from '../modules/content/locales.tables.js';
import type { EventsTables } from '../modules/events/events.tables.js';
import type { FeedbackTables } from '../modules/feedback/feedback.tables.js';
import type { FormsTables } from '../modules/forms/forms.tables.js';
import type { AlertsTables } from '../modules/insights/alerts.tables.js';
import type { InsightsTables } from '../modules/insights/insights.tables.js';
import type { SearchTables } from '../modules/search/search.tables.js';
import type { PlatformTables } from './platform.tables.js';

/** Every table, as Kysely sees it: the union of each module's own table types. */
export interface Database
  extends ContentTables,
    EventsTables,
    SearchTables,
    FeedbackTables,
    ClassifyTables,
    JobsTables,
    PlatformTables,
    AccountsTables,
    LocalesTables,
    InsightsTables,
    AlertsTables,
    FormsTables {
  schema_migrations: { version: string; applied_at: Date };
}
