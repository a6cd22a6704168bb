import { IconSettings } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { SettingsScreen } from './SettingsScreen.js';

export const settingsScreens: ScreenDef[] = [
  {
    path: '/settings',
    permission: 'content.read',
    component: SettingsScreen,
    nav: { group: 'configuration', key: 'settings', icon: IconSettings, order: 30 },
  },
];
