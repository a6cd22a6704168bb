export { buildSiteAssets, type SiteAssets, themeCss } from './assets.js';
export { getI18n, languageName, translator, uiLanguages } from './i18n.js';
export { LOCALE_COOKIE, negotiateLocale, negotiateRegion, REGION_COOKIE } from './negotiate.js';
export { allAlternates, sendPage, siteOrigin, sitePageContext } from './page-context.js';
export { type Alternate, Layout, type PageContext } from './pages/layout.js';
export { siteRoutes } from './site.routes.js';
