import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Skeleton,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconFolder, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { ApiError } from '../../api/client.js';
import type { TopicRow } from '../../api/contract.js';
import { useCan } from '../../app/session.js';
import { LimitedTextarea, LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useContentLocaleCodes } from '../locales/api.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';
import { flattenTopics, subtreeOf, type TopicNode, topicName, useMoveTopic, useSaveTopic, useTopics } from './api.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Topics: the tree, reordering among siblings, moving under another parent, names and descriptions per locale. */
export function TopicsScreen() {
  const { t, i18n } = useTranslation('topics');
  const canWrite = useCan('content.write');
  const topics = useTopics();
  const move = useMoveTopic();
  const [editing, setEditing] = useState<TopicRow | 'new' | null>(null);
  const [moving, setMoving] = useState<TopicRow | null>(null);
  const rows = topics.data ? flattenTopics(topics.data.topics) : undefined;

  const reorder = (node: TopicNode, delta: -1 | 1) => {
    move.mutate(
      { slug: node.slug, parent: node.parent, position: node.index + delta },
      {
        onSuccess: () => {
          notifySaved(t('moved'));
          // Keep the keyboard where it was: the same button of the moved topic.
          requestAnimationFrame(() =>
            document.querySelector<HTMLButtonElement>(`[data-move="${node.slug}:${delta}"]`)?.focus(),
          );
        },
        onError: notifyFailed,
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle')}
        helpNs="topics"
        actions={
          canWrite ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('new')}
            </Button>
          ) : null
        }
      />
      {!canWrite ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('readOnly')}
        </Text>
      ) : null}
      {topics.isError ? (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{topics.error instanceof ApiError ? topics.error.message : String(topics.error)}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void topics.refetch()}>
              {t('common:retry')}
            </Button>
          </Stack>
        </Alert>
      ) : !rows ? (
        <Stack gap="xs" aria-busy="true">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={44} radius="md" />
          ))}
        </Stack>
      ) : rows.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Stack align="center" gap={6}>
            <Text fw={600}>{t('empty.title')}</Text>
            <Text size="sm" c="dimmed" maw={520} ta="center">
              {t('empty.body')}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <Paper
          withBorder
          radius="md"
          component="ul"
          aria-label={t('title')}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
        >
          {rows.map((node) => {
            const name = topicName(node, i18n.language);
            return (
              <li
                key={node.slug}
                data-topic={node.slug}
                style={{ borderBlockEnd: '1px solid var(--mantine-color-gray-2)' }}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs" px="sm" py={6}>
                  <Group gap="xs" wrap="nowrap" style={{ paddingInlineStart: node.depth * 28, minWidth: 0 }}>
                    <IconFolder size={18} stroke={1.6} aria-hidden />
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text fw={500} truncate>
                        {name}
                      </Text>
                      <Text size="xs" c="dimmed" truncate dir="ltr">
                        {node.slug}
                      </Text>
                    </Stack>
                    <Badge variant="light" color="gray" radius="sm" tt="none">
                      {t('articles', { count: node.articleCount })}
                    </Badge>
                  </Group>
                  {canWrite ? (
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('moveUp', { name })}
                        disabled={node.index === 0 || move.isPending}
                        data-move={`${node.slug}:-1`}
                        onClick={() => reorder(node, -1)}
                      >
                        <IconArrowUp size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('moveDown', { name })}
                        disabled={node.index === node.siblings - 1 || move.isPending}
                        data-move={`${node.slug}:1`}
                        onClick={() => reorder(node, 1)}
                      >
                        <IconArrowDown size={16} aria-hidden />
                      </ActionIcon>
                      <Button size="xs" variant="default" onClick={() => setMoving(node)}>
                        {t('move')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconPencil size={14} aria-hidden />}
                        onClick={() => setEditing(node)}
                      >
                        {t('edit')}
                      </Button>
                    </Group>
                  ) : null}
                </Group>
              </li>
            );
          })}
        </Paper>
      )}
      {editing && topics.data ? (
        <TopicEditor
          topic={editing === 'new' ? null : editing}
          all={topics.data.topics}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {moving && topics.data ? (
        <MoveTopic topic={moving} all={topics.data.topics} onClose={() => setMoving(null)} />
      ) : null}
    </>
  );
}

function MoveTopic({ topic, all, onClose }: { topic: TopicRow; all: TopicRow[]; onClose: () => void }) {
  const { t, i18n } = useTranslation('topics');
  const move = useMoveTopic();
  const excluded = subtreeOf(all, topic.slug);
  const [parent, setParent] = useState<string>(topic.parent ?? '');
  const options = [
    { value: '', label: t('topLevel') },
    ...flattenTopics(all)
      .filter((node) => !excluded.has(node.slug))
      .map((node) => ({ value: node.slug, label: `${'— '.repeat(node.depth)}${topicName(node, i18n.language)}` })),
  ];
  const name = topicName(topic, i18n.language);
  const siblingsAfter = all.filter((row) => (row.parent ?? '') === parent && row.slug !== topic.slug).length;
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('moveTitle', { name })}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack>
        <Text size="sm">{t('moveHint')}</Text>
        <Select
          label={t('parent')}
          data={options}
          value={parent}
          onChange={(value) => setParent(value ?? '')}
          allowDeselect={false}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:cancel')}
          </Button>
          <Button
            loading={move.isPending}
            onClick={() =>
              move.mutate(
                { slug: topic.slug, parent: parent || null, position: siblingsAfter },
                {
                  onSuccess: () => {
                    notifySaved(t('moved'));
                    onClose();
                  },
                  onError: notifyFailed,
                },
              )
            }
          >
            {t('moveSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function TopicEditor({ topic, all, onClose }: { topic: TopicRow | null; all: TopicRow[]; onClose: () => void }) {
  const { t, i18n } = useTranslation('topics');
  const save = useSaveTopic();
  const locales = useContentLocaleCodes();
  const [slug, setSlug] = useState(topic?.slug ?? '');
  const [parent, setParent] = useState<string>(topic?.parent ?? '');
  const [names, setNames] = useState<Record<string, { name: string; description: string }>>(() => ({
    ...(topic?.names ?? {}),
  }));
  const [tab, setTab] = useState<string>('en');
  const serverErrors = fieldErrors(save.error);

  const slugError =
    slug.length === 0
      ? null
      : slug.length > LIMITS.slug
        ? t('common:field.tooLong', { max: LIMITS.slug, count: slug.length })
        : SLUG.test(slug)
          ? topic === null && all.some((row) => row.slug === slug)
            ? t('slugTaken')
            : null
          : t('slugHint');
  const english = names.en?.name.trim() ?? '';
  const tooLong = Object.values(names).some(
    (entry) => [...entry.name].length > LIMITS.topicName || [...entry.description].length > LIMITS.topicDescription,
  );
  const valid = slug.length > 0 && !slugError && english.length > 0 && !tooLong;

  const setField = (locale: string, field: 'name' | 'description', value: string) =>
    setNames((old) => ({
      ...old,
      [locale]: { name: old[locale]?.name ?? '', description: old[locale]?.description ?? '', [field]: value },
    }));

  const submit = () => {
    const cleanNames: Record<string, string> = {};
    const descriptions: Record<string, string> = {};
    for (const [locale, entry] of Object.entries(names)) {
      if (entry.name.trim()) cleanNames[locale] = entry.name.trim();
      if (entry.description.trim()) descriptions[locale] = entry.description.trim();
    }
    save.mutate(
      {
        slug,
        parent: parent || null,
        position: topic?.position ?? all.filter((row) => (row.parent ?? '') === parent).length,
        names: cleanNames,
        descriptions,
      },
      {
        onSuccess: () => {
          notifySaved(t('saved'));
          onClose();
        },
        onError: notifyFailed,
      },
    );
  };

  const parentOptions = [
    { value: '', label: t('topLevel') },
    ...flattenTopics(all)
      .filter((node) => node.slug !== topic?.slug)
      .map((node) => ({ value: node.slug, label: `${'— '.repeat(node.depth)}${topicName(node, i18n.language)}` })),
  ];

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={topic ? t('editTitle', { name: topicName(topic, i18n.language) }) : t('newTitle')}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) submit();
        }}
      >
        <Stack>
          <TextInput
            label={t('slug')}
            description={t('slugHint')}
            value={slug}
            onChange={(event) => setSlug(event.currentTarget.value.trim())}
            disabled={topic !== null}
            required
            dir="ltr"
            error={slugError ?? serverErrors.slug}
            maxLength={LIMITS.slug + 20}
          />
          {topic === null ? (
            <Select
              label={t('parent')}
              data={parentOptions}
              value={parent}
              onChange={(value) => setParent(value ?? '')}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          ) : null}
          <Tabs value={tab} onChange={(value) => setTab(value ?? 'en')} keepMounted={false}>
            <Tabs.List aria-label={t('language')}>
              {locales.map((locale) => (
                <Tabs.Tab key={locale} value={locale} lang={locale}>
                  {locale}
                  {names[locale]?.name.trim() ? '' : ' ·'}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {locales.map((locale) => (
              <Tabs.Panel key={locale} value={locale} pt="sm">
                <Stack gap="sm">
                  {locale !== 'en' && !names[locale]?.name.trim() ? (
                    <Text size="xs" c="dimmed">
                      {t('missingName')}
                    </Text>
                  ) : null}
                  <LimitedTextInput
                    label={`${t('name')} (${locale})`}
                    value={names[locale]?.name ?? ''}
                    max={LIMITS.topicName}
                    required={locale === 'en'}
                    error={
                      locale === 'en' && english.length === 0 && names.en !== undefined ? t('nameRequired') : undefined
                    }
                    onChange={(event) => setField(locale, 'name', event.currentTarget.value)}
                    lang={locale}
                  />
                  <LimitedTextarea
                    label={`${t('description')} (${locale})`}
                    description={t('descriptionHint')}
                    value={names[locale]?.description ?? ''}
                    max={LIMITS.topicDescription}
                    autosize
                    minRows={2}
                    onChange={(event) => setField(locale, 'description', event.currentTarget.value)}
                    lang={locale}
                  />
                </Stack>
              </Tabs.Panel>
            ))}
          </Tabs>
          {english.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('nameRequired')}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={save.isPending}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
