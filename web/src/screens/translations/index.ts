import { IconLanguage } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { TranslateScreen } from './TranslateScreen.js';
import { TranslationQueueScreen } from './TranslationQueueScreen.js';

export const translationScreens: ScreenDef[] = [
  {
    path: '/translations',
    permission: 'content.read',
    component: TranslationQueueScreen,
    nav: { group: 'content', key: 'translations', icon: IconLanguage, order: 20 },
  },
  { path: '/translations/:slug/:locale', permission: 'content.read', component: TranslateScreen },
];
