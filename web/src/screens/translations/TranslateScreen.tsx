import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCopy, IconHistory } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { LIMITS } from '../../../../src/shared/limits.js';
import { useArticle, useSaveArticle } from '../../api/articles.js';
import { useLocaleMap } from '../../api/locales.js';
import { useMarkCurrent, useSourceDiff } from '../../api/translations.js';
import { useCanWriteLocale } from '../../app/session.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { InlineDiff, LineDiff, ScrollRegion } from '../../components/DiffView.js';
import { LimitedTextarea, LimitedTextInput, withinLimits } from '../../components/fields.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { errorText } from '../editor/EditorScreen.js';
import { MarkdownPreview } from '../editor/MarkdownPreview.js';

/** Source and translation side by side; when the source changed, what changed; save, publish, mark up to date. */
export function TranslateScreen() {
  const { slug, locale } = useParams<{ slug: string; locale: string }>();
  // A new translation starts with a fresh form.
  return <Translate key={`${slug}/${locale}`} slug={slug} locale={locale} />;
}

function Translate({ slug, locale }: { slug: string; locale: string }) {
  const { t } = useTranslation('translations');
  const article = useArticle(slug);
  const locales = useLocaleMap();
  const canWriteLocale = useCanWriteLocale();
  const save = useSaveArticle();
  const markCurrent = useMarkCurrent();
  const [title, setTitle] = useState('');
  const [keywords, setKeywords] = useState<string[]>([]);
  const [body, setBody] = useState('');
  const [dirty, setDirty] = useState(false);
  const [region, setRegion] = useState<string | null>(null);

  const target = article.data?.translations.find((tr) => tr.locale === locale);
  const source = article.data?.translations.find((tr) => tr.locale === article.data?.sourceLocale);
  const status = target?.status ?? 'missing';
  const sourceDiff = useSourceDiff(slug, locale, status === 'outdated');

  useEffect(() => {
    if (!dirty && target) {
      setTitle(target.latest?.title ?? '');
      setKeywords(target.latest?.keywords ?? []);
      setBody(target.latest?.bodyMarkdown ?? '');
    }
  }, [target, dirty]);

  if (article.isPending) return <Skeleton height={400} />;
  if (article.error || !article.data) {
    return (
      <Alert color="red" role="alert">
        {errorText(article.error)}
      </Alert>
    );
  }
  const data = article.data;
  if (data.sourceLocale === locale) {
    return (
      <Alert color="blue">
        {t('isSource')}{' '}
        <Anchor component={Link} href={`/articles/${slug}/${locale}`}>
          {t('openEditor')}
        </Anchor>
      </Alert>
    );
  }
  const editable = canWriteLocale(locale);
  const dir = locales.dir(locale);
  const sourceDir = locales.dir(data.sourceLocale);
  const sourceRevision = source?.latest;
  const valid = withinLimits([
    { value: title, max: LIMITS.articleTitle, required: true },
    { value: body, max: LIMITS.articleBody },
  ]);

  const submit = async (publish: boolean) => {
    try {
      const result = await save.mutateAsync({
        slug,
        locale,
        title,
        body,
        keywords,
        topic: data.topic.slug,
        publish,
        ...(sourceRevision ? { sourceRevision: sourceRevision.number } : {}),
      });
      setDirty(false);
      notify('success', result.unchanged ? t('saved.unchanged') : t(publish ? 'saved.published' : 'saved.draft'));
    } catch (error) {
      notify('error', errorText(error), t('saved.failed'));
    }
  };

  return (
    <div className="al-page">
      <PageHeader
        title={sourceRevision?.title ?? slug}
        description={
          <Group gap="xs" component="span">
            <span>{t('direction', { source: locales.name(data.sourceLocale), target: locales.name(locale) })}</span>
            <StatusBadge status={status} />
          </Group>
        }
        helpNs="translations"
        actions={
          <Button
            component={Link}
            href={`/articles/${slug}/${locale}`}
            variant="default"
            leftSection={<IconHistory size={16} aria-hidden />}
          >
            {t('historyLink')}
          </Button>
        }
      />
      {status === 'outdated' ? (
        <Paper withBorder p="md" mb="md" radius="md" data-testid="source-diff">
          <Stack gap="xs">
            <Group gap="xs">
              <IconAlertTriangle size={18} color="var(--mantine-color-orange-7)" aria-hidden />
              <Title order={2} size="h5">
                {sourceDiff.data
                  ? t('sourceChanged', {
                      from: sourceDiff.data.fromRevision ?? '—',
                      to: sourceDiff.data.toRevision,
                    })
                  : t('sourceChangedShort')}
              </Title>
            </Group>
            {sourceDiff.isPending ? <Skeleton height={60} /> : null}
            {sourceDiff.error ? <Text c="red">{errorText(sourceDiff.error)}</Text> : null}
            {sourceDiff.data ? (
              <>
                {sourceDiff.data.title.some((p) => p.op !== 'equal') ? (
                  <Text size="sm">
                    <strong>{t('fields.title')}: </strong>
                    <InlineDiff parts={sourceDiff.data.title} dir={sourceDir} />
                  </Text>
                ) : null}
                <LineDiff parts={sourceDiff.data.body} label={t('sourceDiffLabel')} dir={sourceDir} />
              </>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
      {!editable ? (
        <Alert color="gray" mb="md">
          {t('readOnly')}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" className="al-side-by-side">
        <Stack gap="sm" component="section" aria-label={t('source')}>
          <Title order={2} size="h4">
            {t('source')} · {locales.name(data.sourceLocale)}
            {sourceRevision ? (
              <Text span c="dimmed" size="sm">
                {' '}
                #{sourceRevision.number}
              </Text>
            ) : null}
          </Title>
          <Text fw={600} dir={sourceDir} lang={data.sourceLocale}>
            {sourceRevision?.title}
          </Text>
          {sourceRevision?.keywords.length ? (
            <Text size="sm" c="dimmed" dir={sourceDir}>
              {sourceRevision.keywords.join(', ')}
            </Text>
          ) : null}
          <ScrollRegion label={t('sourceText')} dir={sourceDir} lang={data.sourceLocale}>
            <pre className="al-diff-pre al-diff-line">{sourceRevision?.bodyMarkdown}</pre>
          </ScrollRegion>
        </Stack>
        <Stack gap="sm" component="section" aria-label={t('translation')}>
          <Group justify="space-between">
            <Title order={2} size="h4">
              {t('translation')} · {locales.name(locale)}
            </Title>
            {editable && sourceRevision && !body ? (
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconCopy size={14} aria-hidden />}
                onClick={() => {
                  setBody(sourceRevision.bodyMarkdown);
                  setDirty(true);
                }}
              >
                {t('copySource')}
              </Button>
            ) : null}
          </Group>
          <Tabs defaultValue="write" keepMounted={false}>
            <Tabs.List mb="sm">
              <Tabs.Tab value="write">{t('tabs.write')}</Tabs.Tab>
              <Tabs.Tab value="preview">{t('tabs.preview')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="write">
              <Stack gap="sm">
                <LimitedTextInput
                  label={t('fields.title')}
                  value={title}
                  max={LIMITS.articleTitle}
                  showRequired={dirty}
                  onChange={(e) => {
                    setTitle(e.currentTarget.value);
                    setDirty(true);
                  }}
                  readOnly={!editable}
                  required
                  dir={dir}
                  lang={locale}
                />
                <TagsInput
                  label={t('fields.keywords')}
                  value={keywords}
                  onChange={(v) => {
                    setKeywords(v.map((k) => k.slice(0, LIMITS.keyword)));
                    setDirty(true);
                  }}
                  maxTags={LIMITS.keywords}
                  readOnly={!editable}
                  dir={dir}
                />
                <LimitedTextarea
                  className="al-markdown"
                  label={t('fields.body')}
                  value={body}
                  max={LIMITS.articleBody}
                  onChange={(e) => {
                    setBody(e.currentTarget.value);
                    setDirty(true);
                  }}
                  readOnly={!editable}
                  autosize
                  minRows={14}
                  maxRows={40}
                  dir={dir}
                  lang={locale}
                />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="preview">
              <MarkdownPreview markdown={body} locale={locale} dir={dir} region={region} onRegionChange={setRegion} />
            </Tabs.Panel>
          </Tabs>
          {editable ? (
            <Group gap="sm">
              <Button variant="default" onClick={() => void submit(false)} loading={save.isPending} disabled={!valid}>
                {t('actions.saveDraft')}
              </Button>
              <Button onClick={() => void submit(true)} loading={save.isPending} disabled={!valid}>
                {t('actions.publish')}
              </Button>
              {status === 'outdated' && !dirty ? (
                <ConfirmAction
                  variant="light"
                  color="orange"
                  label={t('actions.markCurrent')}
                  title={t('actions.markCurrentTitle')}
                  message={t('actions.markCurrentBody')}
                  confirmLabel={t('actions.markCurrent')}
                  loading={markCurrent.isPending}
                  onConfirm={() =>
                    markCurrent.mutateAsync({ slug, locale }).then(
                      () => notify('success', t('saved.markedCurrent')),
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
      </SimpleGrid>
    </div>
  );
}
