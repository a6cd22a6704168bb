import type { ScreenDef } from '../../app/registry.js';
import { EditorScreen } from './EditorScreen.js';

export const editorScreens: ScreenDef[] = [
  { path: '/articles/new', permission: 'content.write', component: EditorScreen },
  { path: '/articles/:slug/:locale', permission: 'content.read', component: EditorScreen },
];
