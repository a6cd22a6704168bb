import { IconUsers } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { UsersScreen } from './UsersScreen.js';

export const usersScreens: ScreenDef[] = [
  {
    path: '/users',
    permission: 'users.manage',
    component: UsersScreen,
    nav: { group: 'team', key: 'users', icon: IconUsers, order: 10 },
  },
];
