import type { ScreenDef } from '../app/registry.js';
import { articlesScreens } from './articles/index.js';
import { editorScreens } from './editor/index.js';
import { regionsScreens } from './regions/index.js';
import { topicsScreens } from './topics/index.js';
import { translationScreens } from './translations/index.js';

/** Every screen of the app. A new screen folder adds one line here (see ScreenDef). */
export const SCREENS: ScreenDef[] = [
  ...articlesScreens,
  ...editorScreens,
  ...translationScreens,
  ...topicsScreens,
  ...regionsScreens,
];
