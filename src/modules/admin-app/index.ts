export { adminAppRoutes } from './admin-app.routes.js';
export { type AdminAssets, buildAdminAssets } from './build-admin-assets.js';
