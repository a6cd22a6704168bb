import { Badge, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { type CategoryView, categoryName, type ModelStatus, useTaxonomy } from '../../api/classify.js';
import './classifier.css';

export type ClassifierTab = 'taxonomy' | 'queue' | 'models';

/** The analyst's three screens as tabs: the taxonomy, the labelling queue and the model versions. */
export function ClassifierTabs({ active }: { active: ClassifierTab }) {
  const { t } = useTranslation('classifier');
  const [, navigate] = useLocation();
  return (
    <Tabs value={active} onChange={(value) => navigate(`/classifier/${value ?? 'taxonomy'}`)} mb="md">
      <Tabs.List>
        <Tabs.Tab value="taxonomy">{t('tabs.taxonomy')}</Tabs.Tab>
        <Tabs.Tab value="queue">{t('tabs.queue')}</Tabs.Tab>
        <Tabs.Tab value="models">{t('tabs.models')}</Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}

/** Category slug → its name in the UI language (the slug itself for a category the taxonomy no longer has). */
export function useCategoryNames(): { nameOf: (slug: string) => string; bySlug: Map<string, CategoryView> } {
  const { i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const bySlug = new Map((taxonomy.data?.categories ?? []).map((c) => [c.slug, c]));
  return { nameOf: (slug) => categoryName(bySlug.get(slug), i18n.language, slug), bySlug };
}

const STATUS_COLOR: Record<ModelStatus, string> = {
  queued: 'gray',
  training: 'blue',
  ready: 'green',
  failed: 'red',
};

export function ModelStatusBadge({ status, progress }: { status: ModelStatus; progress?: number }) {
  const { t } = useTranslation('classifier');
  const label =
    status === 'training' && progress !== undefined
      ? t('status.trainingAt', { value: Math.round(progress * 100) })
      : t(`status.${status}`);
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {label}
    </Badge>
  );
}
