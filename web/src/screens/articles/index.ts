import { IconFileText } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { ArticlesScreen } from './ArticlesScreen.js';

export const articlesScreens: ScreenDef[] = [
  {
    path: '/articles',
    permission: 'content.read',
    component: ArticlesScreen,
    nav: { group: 'content', key: 'articles', icon: IconFileText, order: 10 },
  },
];
