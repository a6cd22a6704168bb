import type { Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import type { Permission } from '../../../src/shared/permissions.js';

/** Navigation groups, in the order the navbar shows them; later issues fill insights and support. */
export const NAV_GROUPS = ['content', 'configuration', 'team', 'insights', 'support'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

/**
 * One screen of the app. A screen adds itself by exporting its definitions from its folder and listing them in
 * web/src/screens/index.ts: path (under /admin), required permission, and, when it has a navbar entry, its group,
 * label key (in the common namespace, `nav.<key>`) and icon.
 */
export interface ScreenDef {
  path: string;
  permission: Permission;
  // biome-ignore lint/suspicious/noExplicitAny: wouter passes route params; each screen types its own.
  component: ComponentType<any>;
  nav?: { group: NavGroup; key: string; icon: Icon; order: number };
}
