import { IconBulb } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { ThemesScreen } from './ThemesScreen.js';

/** Theme discovery: proposed new categories from feedback the classifier could not place. */
export const themesScreens: ScreenDef[] = [
  {
    path: '/themes',
    permission: 'classify.read',
    component: ThemesScreen,
    nav: { group: 'insights', key: 'themes', icon: IconBulb, order: 70 },
  },
];
