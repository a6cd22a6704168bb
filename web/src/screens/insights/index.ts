import {
  IconAlertTriangle,
  IconChartLine,
  IconLanguage,
  IconListSearch,
  IconMessage2Question,
  IconReportAnalytics,
} from '@tabler/icons-react';
import type { ScreenDef } from '../../app/registry.js';
import { AlertsScreen } from './AlertsScreen.js';
import { ArticleInsightScreen } from './ArticleInsightScreen.js';
import { GapsScreen } from './GapsScreen.js';
import { InsightArticlesScreen } from './InsightArticlesScreen.js';
import { OverviewScreen } from './OverviewScreen.js';
import { TranslationHealthScreen } from './TranslationHealthScreen.js';
import { VocabularyScreen } from './VocabularyScreen.js';

/**
 * The Insights screens. The overview answers at /insights and, for the navbar, at /insights/overview: a navbar entry
 * at /insights would be marked current on every screen below it.
 */
export const insightsScreens: ScreenDef[] = [
  { path: '/insights', permission: 'insights.read', component: OverviewScreen },
  {
    path: '/insights/overview',
    permission: 'insights.read',
    component: OverviewScreen,
    nav: { group: 'insights', key: 'insightsOverview', icon: IconReportAnalytics, order: 10 },
  },
  {
    path: '/insights/articles',
    permission: 'insights.read',
    component: InsightArticlesScreen,
    nav: { group: 'insights', key: 'insightsArticles', icon: IconChartLine, order: 20 },
  },
  { path: '/insights/articles/:slug', permission: 'insights.read', component: ArticleInsightScreen },
  {
    path: '/insights/vocabulary',
    permission: 'insights.read',
    component: VocabularyScreen,
    nav: { group: 'insights', key: 'insightsVocabulary', icon: IconMessage2Question, order: 30 },
  },
  {
    path: '/insights/gaps',
    permission: 'insights.read',
    component: GapsScreen,
    nav: { group: 'insights', key: 'insightsGaps', icon: IconListSearch, order: 40 },
  },
  {
    path: '/insights/translations',
    permission: 'insights.read',
    component: TranslationHealthScreen,
    nav: { group: 'insights', key: 'insightsTranslations', icon: IconLanguage, order: 50 },
  },
  {
    path: '/insights/alerts',
    permission: 'insights.read',
    component: AlertsScreen,
    nav: { group: 'insights', key: 'insightsAlerts', icon: IconAlertTriangle, order: 60 },
  },
];
