// Side effect: the style nonce for dialogs' scroll lock (see the module); imported here so it runs at boot.
import { IconFolders } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { TopicsScreen } from './TopicsScreen.js';

export const topicsScreens: ScreenDef[] = [
  {
    path: '/topics',
    permission: 'content.read',
    component: TopicsScreen,
    nav: { group: 'content', key: 'topics', icon: IconFolders, order: 30 },
  },
];
