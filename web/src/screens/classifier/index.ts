import { IconCpu, IconHierarchy2, IconTags } from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { CompareScreen } from './CompareScreen.js';
import { ModelScreen } from './ModelScreen.js';
import { ModelsScreen } from './ModelsScreen.js';
import { QueueScreen } from './QueueScreen.js';
import { TaxonomyScreen } from './TaxonomyScreen.js';

/** The analyst's screens: taxonomy editor, labelling queue, model versions (one, and two compared). */
export const classifierScreens: ScreenDef[] = [
  {
    path: '/classifier/taxonomy',
    permission: 'classify.read',
    component: TaxonomyScreen,
    nav: { group: 'support', key: 'classifierTaxonomy', icon: IconHierarchy2, order: 20 },
  },
  {
    path: '/classifier/queue',
    permission: 'classify.read',
    component: QueueScreen,
    nav: { group: 'support', key: 'classifierQueue', icon: IconTags, order: 30 },
  },
  {
    path: '/classifier/models',
    permission: 'classify.read',
    component: ModelsScreen,
    nav: { group: 'support', key: 'classifierModels', icon: IconCpu, order: 40 },
  },
  { path: '/classifier/models/:version', permission: 'classify.read', component: ModelScreen },
  { path: '/classifier/models/:version/compare/:against', permission: 'classify.read', component: CompareScreen },
];
