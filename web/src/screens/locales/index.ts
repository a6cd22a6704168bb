import { IconLanguage } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { LocalesScreen } from './LocalesScreen.js';

export const localesScreens: ScreenDef[] = [
  {
    path: '/locales',
    permission: 'content.read',
    component: LocalesScreen,
    nav: { group: 'configuration', key: 'locales', icon: IconLanguage, order: 20 },
  },
];
