import {
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  TagsInput,
  Text,
} from '@mantine/core';
import { IconArrowsLeftRight, IconExternalLink, IconHistory, IconPencil } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'wouter';
import { LIMITS } from '../../../../src/shared/limits.js';
import { useArticle, usePublish, useSaveArticle, useUnpublish } from '../../api/articles.js';
import { ApiError } from '../../api/client.js';
import type { ArticleDetail } from '../../api/contract.js';
import { useLocaleMap } from '../../api/locales.js';
import { useTopics } from '../../api/topics.js';
import { useCan, useCanWriteLocale } from '../../app/session.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { LimitedTextarea, LimitedTextInput, withinLimits } from '../../components/fields.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { InsightsPanel } from './InsightsPanel.js';
import { MarkdownPreview } from './MarkdownPreview.js';
import { RevisionHistory } from './RevisionHistory.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Draft {
  slug: string;
  locale: string;
  title: string;
  keywords: string[];
  topic: string | null;
  position: number;
  body: string;
}

function draftOf(article: ArticleDetail | undefined, locale: string): Draft {
  const latest = article?.translations.find((tr) => tr.locale === locale)?.latest;
  return {
    slug: article?.slug ?? '',
    locale,
    title: latest?.title ?? '',
    keywords: latest?.keywords ?? [],
    topic: article?.topic.slug ?? null,
    position: article?.position ?? 0,
    body: latest?.bodyMarkdown ?? '',
  };
}

/** Shows an API error in words, with the fields it names. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  const details = error.details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return details ? `${error.message} (${details})` : error.message;
}

/** Write or edit one locale of an article: fields, Markdown with live preview, save/publish/unpublish, history. */
export function EditorScreen() {
  const params = useParams<{ slug?: string; locale?: string }>();
  // Another article or locale starts with a fresh form.
  return <Editor key={`${params.slug ?? ''}/${params.locale ?? ''}`} slug={params.slug} locale={params.locale} />;
}

function Editor(params: { slug?: string; locale?: string }) {
  const isNew = !params.slug;
  const { t, i18n } = useTranslation('editor');
  const [, navigate] = useLocation();
  const article = useArticle(params.slug);
  const topics = useTopics();
  const locales = useLocaleMap();
  const canWriteLocale = useCanWriteLocale();
  const canWriteContent = useCan('content.write');
  const save = useSaveArticle();
  const publish = usePublish();
  const unpublish = useUnpublish();
  const [region, setRegion] = useState<string | null>(null);
  const [tab, setTab] = useState<string | null>('edit');

  const locale = params.locale ?? 'en';
  const [draft, setDraft] = useState<Draft>(() => draftOf(undefined, locale));
  const [dirty, setDirty] = useState(false);
  // Load the server's latest revision into the form when it arrives or the locale changes (unless being edited).
  useEffect(() => {
    if (article.data && !dirty) setDraft(draftOf(article.data, locale));
  }, [article.data, locale, dirty]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setDirty(true);
  };

  if (!isNew && article.isPending) return <Skeleton height={400} />;
  if (!isNew && article.error) {
    return (
      <Alert color="red" role="alert" title={t('loadError')}>
        {errorText(article.error)}
      </Alert>
    );
  }

  const translation = article.data?.translations.find((tr) => tr.locale === locale);
  const status = translation?.status ?? 'missing';
  const editable = isNew ? canWriteContent : canWriteLocale(draft.locale);
  const dir = locales.dir(draft.locale);
  const valid =
    withinLimits([
      { value: draft.title, max: LIMITS.articleTitle, required: true },
      { value: draft.body, max: LIMITS.articleBody },
      { value: draft.slug, max: LIMITS.slug, required: true },
    ]) &&
    SLUG.test(draft.slug) &&
    !!draft.topic;
  const isSource = !article.data || article.data.sourceLocale === locale;

  const submit = async (publishNow: boolean) => {
    try {
      const result = await save.mutateAsync({
        slug: draft.slug,
        locale: draft.locale,
        title: draft.title,
        body: draft.body,
        keywords: draft.keywords,
        topic: draft.topic!,
        position: draft.position,
        publish: publishNow,
      });
      setDirty(false);
      notify(
        'success',
        result.unchanged
          ? t('saved.unchanged')
          : t(publishNow ? 'saved.published' : 'saved.draft', { revision: result.revision }),
      );
      if (isNew) navigate(`/articles/${result.slug}/${result.locale}`, { replace: true });
    } catch (error) {
      notify('error', errorText(error), t('saved.failed'));
    }
  };

  const topicLabel = (slug: string) => {
    const node = topics.data?.topics.find((x) => x.slug === slug);
    return node?.names[i18n.language]?.name ?? node?.names.en?.name ?? slug;
  };

  return (
    <div className="al-page">
      <PageHeader
        title={isNew ? t('newTitle') : draft.title || params.slug!}
        description={
          isNew ? (
            t('newDescription')
          ) : (
            <Group gap="xs" component="span">
              <span>{t('editing', { locale: locales.name(locale) })}</span>
              <StatusBadge status={status} />
              {translation?.publishedRevision ? (
                <Anchor href={`/${locale}/articles/${params.slug}`} target="_blank" size="sm">
                  {t('viewOnSite')} <IconExternalLink size={12} aria-hidden />
                </Anchor>
              ) : null}
            </Group>
          )
        }
        helpNs="editor"
        actions={
          <>
            {!isNew && !isSource ? (
              <Button
                component={Link}
                href={`/translations/${params.slug}/${locale}`}
                variant="default"
                leftSection={<IconArrowsLeftRight size={16} aria-hidden />}
              >
                {t('sideBySide')}
              </Button>
            ) : null}
            {!isNew && translation?.publishedRevision ? <InsightsPanel slug={params.slug!} locale={locale} /> : null}
          </>
        }
      />
      {!isNew && article.data ? (
        <Group gap={6} mb="sm" wrap="wrap" aria-label={t('otherLocales')} role="group">
          {article.data.translations.map((tr) => (
            <Button
              key={tr.locale}
              component={Link}
              href={`/articles/${params.slug}/${tr.locale}`}
              size="compact-sm"
              variant={tr.locale === locale ? 'filled' : 'default'}
              aria-current={tr.locale === locale ? 'page' : undefined}
            >
              {locales.name(tr.locale)}
            </Button>
          ))}
        </Group>
      ) : null}
      {!editable ? (
        <Alert color="gray" mb="md">
          {t('readOnly')}
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="edit" leftSection={<IconPencil size={16} aria-hidden />}>
            {t('tabs.edit')}
          </Tabs.Tab>
          {!isNew ? (
            <Tabs.Tab value="history" leftSection={<IconHistory size={16} aria-hidden />}>
              {t('tabs.history')}
            </Tabs.Tab>
          ) : null}
        </Tabs.List>
        <Tabs.Panel value="edit">
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg" className="al-side-by-side">
            <Stack gap="sm">
              {isNew ? (
                <Group grow align="flex-start">
                  <LimitedTextInput
                    label={t('fields.slug')}
                    description={t('fields.slugHint')}
                    value={draft.slug}
                    max={LIMITS.slug}
                    onChange={(e) => set('slug', e.currentTarget.value.toLowerCase())}
                    error={draft.slug && !SLUG.test(draft.slug) ? t('fields.slugInvalid') : undefined}
                    required
                    dir="ltr"
                  />
                  <Select
                    label={t('fields.locale')}
                    data={locales.list.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
                    value={draft.locale}
                    onChange={(v) => v && set('locale', v)}
                    allowDeselect={false}
                  />
                </Group>
              ) : null}
              <LimitedTextInput
                label={t('fields.title')}
                value={draft.title}
                max={LIMITS.articleTitle}
                showRequired={dirty}
                onChange={(e) => set('title', e.currentTarget.value)}
                readOnly={!editable}
                required
                dir={dir}
                lang={draft.locale}
              />
              <TagsInput
                label={t('fields.keywords')}
                description={t('fields.keywordsHint')}
                value={draft.keywords}
                onChange={(v) =>
                  set(
                    'keywords',
                    v.map((k) => k.slice(0, LIMITS.keyword)),
                  )
                }
                maxTags={LIMITS.keywords}
                readOnly={!editable}
                dir={dir}
                clearable
              />
              <Group grow align="flex-start">
                <Select
                  label={t('fields.topic')}
                  data={(topics.data?.topics ?? []).map((x) => ({ value: x.slug, label: topicLabel(x.slug) }))}
                  value={draft.topic}
                  onChange={(v) => set('topic', v)}
                  readOnly={!editable || (!isNew && !canWriteContent)}
                  required
                  searchable
                  error={dirty && !draft.topic ? t('common:field.required') : undefined}
                />
                <NumberInput
                  label={t('fields.position')}
                  description={t('fields.positionHint')}
                  value={draft.position}
                  onChange={(v) => set('position', typeof v === 'number' ? v : 0)}
                  min={0}
                  max={1_000_000}
                  readOnly={!editable || (!isNew && !canWriteContent)}
                />
              </Group>
              <LimitedTextarea
                className="al-markdown"
                label={t('fields.body')}
                description={t('fields.bodyHint', { example: '{{price:plus_monthly}}' })}
                value={draft.body}
                max={LIMITS.articleBody}
                onChange={(e) => set('body', e.currentTarget.value)}
                readOnly={!editable}
                autosize
                minRows={14}
                maxRows={40}
                dir={dir}
                lang={draft.locale}
              />
              {editable ? (
                <Group gap="sm">
                  <Button
                    variant="default"
                    onClick={() => void submit(false)}
                    loading={save.isPending}
                    disabled={!valid}
                  >
                    {t('actions.saveDraft')}
                  </Button>
                  <Button onClick={() => void submit(true)} loading={save.isPending} disabled={!valid}>
                    {t('actions.publish')}
                  </Button>
                  {!isNew && !dirty && status === 'draft' && translation?.latest ? (
                    <Button
                      variant="light"
                      loading={publish.isPending}
                      onClick={() =>
                        publish.mutate(
                          { slug: params.slug!, locale, revision: translation.latest!.number },
                          {
                            onSuccess: () => notify('success', t('saved.publishedLatest')),
                            onError: (e) => notify('error', errorText(e)),
                          },
                        )
                      }
                    >
                      {t('actions.publishLatest')}
                    </Button>
                  ) : null}
                  {!isNew && translation?.publishedRevision ? (
                    <ConfirmAction
                      variant="subtle"
                      color="red"
                      label={t('actions.unpublish')}
                      title={t('actions.unpublishTitle')}
                      message={t('actions.unpublishBody', { locale: locales.name(locale) })}
                      confirmLabel={t('actions.unpublish')}
                      loading={unpublish.isPending}
                      onConfirm={() =>
                        unpublish.mutateAsync({ slug: params.slug!, locale }).then(
                          () => notify('success', t('saved.unpublished')),
                          (e: unknown) => notify('error', errorText(e)),
                        )
                      }
                    />
                  ) : null}
                  {dirty ? (
                    <Text size="sm" c="dimmed" role="status">
                      {t('unsaved')}
                    </Text>
                  ) : null}
                </Group>
              ) : null}
            </Stack>
            <Stack gap="xs">
              <Text fw={600} size="sm">
                {t('preview.title')}
              </Text>
              <MarkdownPreview
                markdown={draft.body}
                locale={draft.locale}
                dir={dir}
                region={region}
                onRegionChange={setRegion}
              />
            </Stack>
          </SimpleGrid>
        </Tabs.Panel>
        {!isNew ? (
          <Tabs.Panel value="history">
            <RevisionHistory slug={params.slug!} locale={locale} canWrite={editable} dir={dir} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </div>
  );
}
