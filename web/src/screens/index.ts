import type { ScreenDef } from '../app/registry.js';
import { articlesScreens } from './articles/index.js';
import { auditScreens } from './audit/index.js';
import { classifierScreens } from './classifier/index.js';
import { editorScreens } from './editor/index.js';
import { formsScreens } from './forms/index.js';
import { insightsScreens } from './insights/index.js';
import { localesScreens } from './locales/index.js';
import { profileScreens } from './profile/index.js';
import { regionsScreens } from './regions/index.js';
import { settingsScreens } from './settings/index.js';
import { themesScreens } from './themes/index.js';
import { ticketsScreens } from './tickets/index.js';
import { tokensScreens } from './tokens/index.js';
import { topicsScreens } from './topics/index.js';
import { translationScreens } from './translations/index.js';
import { usersScreens } from './users/index.js';

/** Every screen of the app. A new screen folder adds one line here (see ScreenDef). */
export const SCREENS: ScreenDef[] = [
  ...articlesScreens,
  ...editorScreens,
  ...translationScreens,
  ...topicsScreens,
  ...regionsScreens,
  ...localesScreens,
  ...settingsScreens,
  ...usersScreens,
  ...tokensScreens,
  ...auditScreens,
  ...profileScreens,
  ...insightsScreens,
  ...formsScreens,
  ...ticketsScreens,
  ...themesScreens,
  ...classifierScreens,
];
