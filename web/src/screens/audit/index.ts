import { IconHistory } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { AuditScreen } from './AuditScreen.js';

export const auditScreens: ScreenDef[] = [
  {
    path: '/audit',
    permission: 'audit.read',
    component: AuditScreen,
    nav: { group: 'team', key: 'audit', icon: IconHistory, order: 30 },
  },
];
