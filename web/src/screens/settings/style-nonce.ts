import { setNonce } from 'get-nonce';
import { readBoot } from '../../boot.js';

/**
 * Workaround until the shell does this in main.tsx: Mantine's Modal and Drawer lock page scroll with
 * react-remove-scroll, which inserts a <style> element carrying the nonce from `get-nonce` (none by default), so the
 * page's CSP (style-src 'self' 'nonce-…') blocked it on every dialog. Giving it the page's style nonce fixes that.
 */
setNonce(readBoot().styleNonce);
