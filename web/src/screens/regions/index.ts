import { IconWorld } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { RegionsScreen } from './RegionsScreen.js';

export const regionsScreens: ScreenDef[] = [
  {
    path: '/regions',
    permission: 'content.read',
    component: RegionsScreen,
    nav: { group: 'configuration', key: 'regions', icon: IconWorld, order: 10 },
  },
];
