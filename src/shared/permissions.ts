/**
 * Roles and what each may do: the one matrix the server enforces on every operator route and the admin app mirrors
 * (it imports this file), written out for people in docs/ROLES.md.
 */
export const ROLES = ['admin', 'editor', 'translator', 'analyst', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Every permission an operator route can require, with what it allows. */
export const PERMISSIONS = {
  'content.read': 'see every article, draft, revision, topic, region and locale',
  'content.write': 'write, publish, unpublish and restore articles and topics in every locale',
  'translations.write': 'write and publish translations in the locales assigned to the user',
  'regions.write': 'edit regions, currencies, themes and prices',
  'locales.write': 'add and configure content locales',
  'settings.write': 'change the help center settings',
  'users.manage': 'create, change and deactivate users, and revoke their sessions',
  'audit.read': 'read the audit log',
  'tokens.own': 'create, list and revoke personal API tokens (carrying the user\u2019s own role)',
  'search.read': 'see search analytics, suggestions and synonyms',
  'search.write': 'edit synonyms and pin or ban query suggestions',
  'feedback.read': 'see article votes, reasons and comments',
  'feedback.import': 'import votes and tickets with their history from another help center',
  'tickets.read': 'see tickets and their requesters',
  'tickets.write': 'create and change tickets',
  'forms.read': 'see the contact forms and their versions',
  'forms.write': 'create and edit contact forms (fields, options, conditions, texts)',
  'labels.write': 'label feedback and tickets with taxonomy categories',
  'classify.read': 'see the taxonomy, labels, model versions and their metrics',
  'classify.write': 'edit the taxonomy, train, activate and run models',
  'insights.read': 'see the insights dashboards',
  'insights.write': 'set alert thresholds, the alerts webhook and the daily digest; acknowledge alerts',
  'events.read': 'see event KPIs, funnels, statistics and plan violations',
  'events.export': 'export raw events and read a person\u2019s profile',
  'events.plan': 'edit the tracking plan',
  'events.keys': 'create and revoke collector write keys',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const READ_DASHBOARDS: readonly Permission[] = [
  'content.read',
  'forms.read',
  'search.read',
  'feedback.read',
  'classify.read',
  'insights.read',
  'events.read',
];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: Object.keys(PERMISSIONS) as Permission[],
  editor: [...READ_DASHBOARDS, 'tokens.own', 'content.write', 'translations.write', 'search.write', 'forms.write'],
  translator: ['content.read', 'insights.read', 'tokens.own', 'translations.write'],
  analyst: [
    ...READ_DASHBOARDS,
    'tokens.own',
    'search.write',
    'tickets.read',
    'labels.write',
    'classify.write',
    'feedback.import',
    'forms.write',
    'insights.write',
    'events.export',
    'events.plan',
  ],
  agent: [
    'content.read',
    'forms.read',
    'feedback.read',
    'classify.read',
    'tokens.own',
    'tickets.read',
    'tickets.write',
    'labels.write',
  ],
  viewer: [...READ_DASHBOARDS, 'tokens.own'],
};

const GRANT_SETS = new Map<Role, ReadonlySet<Permission>>(ROLES.map((role) => [role, new Set(GRANTS[role])]));

/** True when the role may do what the permission allows. */
export function can(role: Role, permission: Permission): boolean {
  return GRANT_SETS.get(role)?.has(permission) ?? false;
}

/** Every permission of a role, in catalogue order. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(role, permission));
}

/** True for one of our role names. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
