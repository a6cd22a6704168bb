import { IconKey } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { TokensScreen } from './TokensScreen.js';

export const tokensScreens: ScreenDef[] = [
  {
    path: '/tokens',
    permission: 'tokens.own',
    component: TokensScreen,
    nav: { group: 'team', key: 'tokens', icon: IconKey, order: 20 },
  },
];
