import { PERMISSIONS, type Permission } from '../../shared/permissions.js';

/** The routes table as docs/ROLES.md shows it: one row per permission, its routes in registration order. */
export function routesTable(routes: readonly { method: string; url: string; permission: Permission }[]): string {
  const rows = (Object.keys(PERMISSIONS) as Permission[]).flatMap((permission) => {
    const own = routes.filter((route) => route.permission === permission);
    if (own.length === 0) return [];
    return [`| \`${permission}\` | ${own.map((route) => `\`${route.method} ${route.url}\``).join(', ')} |`];
  });
  return ['| permission | routes |', '| --- | --- |', ...rows].join('\n');
}
