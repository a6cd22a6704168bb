import { escapeHtml } from '../../shared/escape-html.js';
import type { AdminAssets } from './build-admin-assets.js';

const FONT_STYLESHEETS = ['noto-sans', 'noto-sans-arabic', 'noto-sans-hebrew', 'noto-sans-jp'].flatMap((pkg) => [
  `/assets/fonts/${pkg}/400.css`,
  `/assets/fonts/${pkg}/700.css`,
]);

/** What the app reads at start: where its files are, and the nonce Mantine puts on the few <style> tags it renders. */
export interface AdminBoot {
  messages: Record<string, string>;
  styleNonce: string;
}

/**
 * The one HTML page of the admin app, answered for /admin and every path under it (the app routes in the browser).
 * No inline script: the boot data is a JSON data block, which a CSP never executes.
 */
export function adminShellHtml(assets: AdminAssets, styleNonce: string): string {
  const boot: AdminBoot = {
    messages: Object.fromEntries(Object.entries(assets.messages).map(([lng, asset]) => [lng, asset.url])),
    styleNonce,
  };
  // `<` escaped so the JSON can never close the data block.
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en" dir="ltr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    '<title>Answerloop admin</title>',
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    // The site's self-hosted fonts; unicode-range means only the subsets a page shows are downloaded.
    ...FONT_STYLESHEETS.map((href) => `<link rel="stylesheet" href="${href}">`),
    `<link rel="stylesheet" href="${escapeHtml(assets.css.url)}">`,
    `<script type="module" src="${escapeHtml(assets.js.url)}"></script>`,
    '</head>',
    '<body>',
    `<script type="application/json" id="admin-boot">${json}</script>`,
    '<div id="root"></div>',
    '<noscript>The Answerloop admin app needs JavaScript.</noscript>',
    '</body>',
    '</html>',
  ].join('\n');
}
