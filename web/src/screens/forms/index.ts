import { IconForms } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { FormBuilderScreen } from './FormBuilderScreen.js';
import { FormsScreen } from './FormsScreen.js';

export const formsScreens: ScreenDef[] = [
  {
    path: '/forms',
    permission: 'forms.read',
    component: FormsScreen,
    nav: { group: 'support', key: 'forms', icon: IconForms, order: 20 },
  },
  { path: '/forms/:key', permission: 'forms.read', component: FormBuilderScreen },
];
