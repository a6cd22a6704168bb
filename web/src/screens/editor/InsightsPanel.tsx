import { Anchor, Button, Drawer, Stack, Text, Title, useDirection } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChartLine } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useCan } from '../../app/session.js';
import { num } from '../../components/insights/format.js';
import { Empty, Loadable, RateCell } from '../../components/insights/parts.js';
import { MissingWordsSection, ReasonsSection } from '../../components/insights/sections.js';
import { RevisionCards } from '../insights/ArticleInsightScreen.js';
import { useArticleInsight, useRevisionInsights } from '../insights/api.js';
import { articleInsightHref } from '../insights/OverviewScreen.js';

/** While the panel is open the latest revision's card fills in as votes arrive (the rollup runs every 5 minutes). */
const REFRESH_MS = 60_000;

function PanelBody({ slug, locale }: { slug: string; locale: string }) {
  const { t } = useTranslation('insights');
  const insight = useArticleInsight(slug, { locale }, REFRESH_MS);
  const revisions = useRevisionInsights(slug, locale, REFRESH_MS);
  return (
    <Stack gap="md">
      <Loadable query={insight} skeleton={160}>
        {(data) => (
          <Stack gap="md">
            {data.health ? (
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  {t('column.helpfulRate')}
                </Text>
                <RateCell rate={data.health.helpfulRate} low={data.health.low} high={data.health.high} />
                <Text size="xs" c="dimmed">
                  {t('panel.votes', {
                    votes: num(data.health.votes),
                    views: num(data.health.views),
                  })}
                </Text>
                {data.health.evidence ? (
                  <Text size="sm" dir="auto">
                    {data.health.evidence}
                  </Text>
                ) : null}
              </Stack>
            ) : (
              <Empty title={t('detail.noDataTitle')} body={t('detail.noDataBody')} />
            )}
            {data.reasons.length > 0 ? (
              <ReasonsSection reasons={data.reasons.slice(0, 3)} commentsPerReason={2} />
            ) : null}
            <MissingWordsSection vocabulary={data.vocabulary} />
          </Stack>
        )}
      </Loadable>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('panel.latest')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('panel.latestHint')}
        </Text>
        <Loadable query={revisions} skeleton={120}>
          {(r) => <RevisionCards revisions={r.revisions} limit={1} />}
        </Loadable>
      </Stack>
      <Anchor component={Link} href={articleInsightHref(slug, locale)} size="sm">
        {t('panel.full')}
      </Anchor>
    </Stack>
  );
}

/**
 * The article's insights beside the text being edited: helpful rate with its interval, what readers dislike in their
 * words, the words they searched with that the text lacks, and the latest revision's before/after card. A drawer
 * without an overlay, at the reading end: the text stays editable while it is open.
 */
export function InsightsPanel({ slug, locale }: { slug: string; locale: string }) {
  const { t } = useTranslation('insights');
  const canRead = useCan('insights.read');
  const { dir } = useDirection();
  const [opened, { toggle, close }] = useDisclosure(false);
  if (!canRead) return null;
  return (
    <>
      <Button
        variant={opened ? 'light' : 'default'}
        leftSection={<IconChartLine size={16} aria-hidden />}
        onClick={toggle}
        aria-expanded={opened}
      >
        {t('panel.open')}
      </Button>
      <Drawer
        opened={opened}
        onClose={close}
        position={dir === 'rtl' ? 'left' : 'right'}
        size="md"
        title={t('panel.title')}
        withOverlay={false}
        lockScroll={false}
        trapFocus={false}
        closeOnClickOutside={false}
        closeButtonProps={{ 'aria-label': t('common:close') }}
      >
        {opened ? <PanelBody slug={slug} locale={locale} /> : null}
      </Drawer>
    </>
  );
}
