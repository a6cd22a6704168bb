import type { ScreenDef } from '../../app/registry.js';
import { ProfileScreen } from './ProfileScreen.js';

/** Reached from the user menu; every role has content.read, so everyone who can sign in sees their profile. */
export const profileScreens: ScreenDef[] = [{ path: '/profile', permission: 'content.read', component: ProfileScreen }];
