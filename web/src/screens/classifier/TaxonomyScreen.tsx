import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArchive, IconArrowsMove, IconDots, IconGitMerge, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CategoryView,
  categoryName,
  useLanguageCoverage,
  useTaxonomy,
  useTaxonomyWrite,
} from '../../api/classify.js';
import { ApiError } from '../../api/client.js';
import { useLocaleMap } from '../../api/locales.js';
import { useCan } from '../../app/session.js';
import { LimitedTextarea, LimitedTextInput } from '../../components/fields.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { ClassifierTabs } from './parts.js';

/** Limits of src/shared/limits.ts the form checks as the analyst types (the server checks them again). */
const NAME_MAX = 120;
const DESCRIPTION_MAX = 1000;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Dialog =
  | { kind: 'create'; parent: string | null }
  | { kind: 'edit'; category: CategoryView }
  | { kind: 'move'; category: CategoryView }
  | { kind: 'merge'; category: CategoryView }
  | null;

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

/** The taxonomy editor: the category tree with names per locale, label counts, move, merge and archive. */
export function TaxonomyScreen() {
  const { t, i18n } = useTranslation('classifier');
  const canWrite = useCan('classify.write');
  const taxonomy = useTaxonomy();
  const locales = useLocaleMap();
  const write = useTaxonomyWrite();
  const [dialog, setDialog] = useState<Dialog>(null);
  const all = taxonomy.data?.categories ?? [];
  const live = all.filter((c) => !c.archived);
  const archived = all.filter((c) => c.archived);
  const top = live.filter((c) => c.parent === null).sort((a, b) => a.position - b.position);
  const childrenOf = (slug: string) => live.filter((c) => c.parent === slug).sort((a, b) => a.position - b.position);
  const localeCodes = locales.list.map((l) => l.code);
  const missingOf = (c: CategoryView) => localeCodes.filter((code) => !c.names[code]);
  const nameOf = (c: CategoryView) => categoryName(c, i18n.language);

  const archive = async (category: CategoryView, value: boolean) => {
    try {
      const result = await write.archive.mutateAsync({ slug: category.slug, archived: value });
      notify('success', t(value ? 'taxonomy.archived' : 'taxonomy.restored', { count: result.affected.length }));
    } catch (error) {
      notify('error', errorText(error));
    }
  };

  const row = (category: CategoryView) => {
    const missing = missingOf(category);
    return (
      <Group key={category.slug} justify="space-between" wrap="nowrap" gap="xs" py={4} data-category={category.slug}>
        <Stack gap={0} miw={0}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} dir="auto">
              {nameOf(category)}
            </Text>
            <Text size="xs" c="dimmed" dir="ltr">
              {category.slug}
            </Text>
          </Group>
          {category.description ? (
            <Text size="sm" c="dimmed" dir="auto" lineClamp={2}>
              {category.description}
            </Text>
          ) : null}
          <Group gap={4} mt={2}>
            <Badge variant="light" color={category.humanLabels === 0 ? 'orange' : 'indigo'} size="sm">
              {t('taxonomy.labels', { count: category.humanLabels, formatted: format.number(category.humanLabels) })}
            </Badge>
            {missing.length > 0 ? (
              <Badge variant="outline" color="gray" size="sm" title={t('taxonomy.missingHint')}>
                <span dir="ltr">{t('taxonomy.missing', { locales: missing.join(' ') })}</span>
              </Badge>
            ) : null}
          </Group>
        </Stack>
        {canWrite ? (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('taxonomy.actionsFor', { name: nameOf(category) })}
              >
                <IconDots size={18} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setDialog({ kind: 'edit', category })}>
                {t('taxonomy.edit')}
              </Menu.Item>
              {category.parent === null ? (
                <Menu.Item
                  leftSection={<IconPlus size={16} />}
                  onClick={() => setDialog({ kind: 'create', parent: category.slug })}
                >
                  {t('taxonomy.addSub')}
                </Menu.Item>
              ) : null}
              <Menu.Item
                leftSection={<IconArrowsMove size={16} />}
                onClick={() => setDialog({ kind: 'move', category })}
              >
                {t('taxonomy.move')}
              </Menu.Item>
              <Menu.Item
                leftSection={<IconGitMerge size={16} />}
                onClick={() => setDialog({ kind: 'merge', category })}
              >
                {t('taxonomy.merge')}
              </Menu.Item>
              <Menu.Item
                color="red"
                leftSection={<IconArchive size={16} />}
                onClick={() => void archive(category, true)}
              >
                {t('taxonomy.archive')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
    );
  };

  return (
    <div className="al-page">
      <PageHeader
        title={t('taxonomy.title')}
        description={t('taxonomy.description')}
        helpNs="classifier"
        actions={
          canWrite ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => setDialog({ kind: 'create', parent: null })}
            >
              {t('taxonomy.new')}
            </Button>
          ) : null
        }
      />
      <ClassifierTabs active="taxonomy" />
      {taxonomy.error ? (
        <Alert color="red" role="alert" title={t('loadFailed')}>
          {errorText(taxonomy.error)}
        </Alert>
      ) : null}
      {taxonomy.isLoading ? <Skeleton h={240} /> : null}
      {taxonomy.data && top.length === 0 ? (
        <Card withBorder className="al-empty">
          <Title order={2} size="h4">
            {t('taxonomy.emptyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('taxonomy.emptyBody')}
          </Text>
        </Card>
      ) : null}
      <Stack gap="sm">
        {top.map((category) => {
          const children = childrenOf(category.slug);
          return (
            <Card key={category.slug} withBorder radius="md" padding="sm" component="section">
              {row(category)}
              {children.length > 0 ? <div className="al-tree-children">{children.map(row)}</div> : null}
            </Card>
          );
        })}
      </Stack>
      <LanguageCoverageCard />
      {archived.length > 0 ? (
        <Card withBorder radius="md" padding="sm" mt="lg" component="section" aria-labelledby="archived-title">
          <Title order={2} size="h4" id="archived-title" mb={4}>
            {t('taxonomy.archivedTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('taxonomy.archivedBody')}
          </Text>
          {archived.map((category) => (
            <Group key={category.slug} justify="space-between" py={4} wrap="nowrap">
              <Group gap="xs" miw={0}>
                <Text dir="auto" c="dimmed">
                  {nameOf(category)}
                </Text>
                <Text size="xs" c="dimmed" dir="ltr">
                  {category.slug}
                </Text>
                <Badge variant="light" color="gray" size="sm">
                  {t('taxonomy.labels', {
                    count: category.humanLabels,
                    formatted: format.number(category.humanLabels),
                  })}
                </Badge>
              </Group>
              {canWrite ? (
                <Button size="xs" variant="default" onClick={() => void archive(category, false)}>
                  {t('taxonomy.restore')}
                </Button>
              ) : null}
            </Group>
          ))}
        </Card>
      ) : null}
      {dialog?.kind === 'create' || dialog?.kind === 'edit' ? (
        <CategoryDialog
          category={dialog.kind === 'edit' ? dialog.category : null}
          parent={dialog.kind === 'create' ? dialog.parent : null}
          top={top}
          locales={locales.list.map((l) => ({ code: l.code, name: l.name, dir: l.direction }))}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'move' ? (
        <MoveDialog
          category={dialog.category}
          top={top}
          hasChildren={childrenOf(dialog.category.slug).length > 0}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'merge' ? (
        <MergeDialog
          category={dialog.category}
          live={live}
          hasChildren={childrenOf(dialog.category.slug).length > 0}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}

/** Create a category or edit one: names in every content locale (English required), description. */
function CategoryDialog(props: {
  category: CategoryView | null;
  parent: string | null;
  top: CategoryView[];
  locales: { code: string; name: string; dir: 'ltr' | 'rtl' }[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('classifier');
  const write = useTaxonomyWrite();
  const editing = props.category;
  const [slug, setSlug] = useState(editing?.slug ?? '');
  const [parent, setParent] = useState<string | null>(editing?.parent ?? props.parent);
  const [names, setNames] = useState<Record<string, string>>(editing?.names ?? {});
  const [description, setDescription] = useState(editing?.description ?? '');
  const [error, setError] = useState<string | null>(null);
  const slugOk = SLUG.test(slug);
  const valid = slugOk && !!names.en?.trim() && description.length <= DESCRIPTION_MAX;

  const save = async () => {
    setError(null);
    try {
      if (editing) {
        // An emptied name is sent as '' so the server removes that locale's name.
        const changed = Object.fromEntries(
          props.locales
            .map((l): [string, string] => [l.code, names[l.code]?.trim() ?? ''])
            .filter(([code, v]) => (editing.names[code] ?? '') !== v),
        );
        await write.update.mutateAsync({
          slug: editing.slug,
          change: { names: changed, description, ...(slug !== editing.slug ? { slug } : {}) },
        });
      } else {
        const filled = Object.fromEntries(Object.entries(names).filter(([, v]) => v.trim() !== ''));
        await write.create.mutateAsync({ slug, parent, names: filled, description });
      }
      notify('success', t('taxonomy.saved'));
      props.onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={editing ? t('taxonomy.editTitle', { name: categoryName(editing, i18n.language) }) : t('taxonomy.newTitle')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack gap="sm">
        <TextInput
          label={t('taxonomy.slug')}
          description={t('taxonomy.slugHint')}
          value={slug}
          onChange={(e) => setSlug(e.currentTarget.value.trim())}
          error={slug && !slugOk ? t('taxonomy.slugInvalid') : null}
          dir="ltr"
          required
        />
        {!editing ? (
          <Select
            label={t('taxonomy.parent')}
            placeholder={t('taxonomy.topLevel')}
            data={props.top.map((c) => ({ value: c.slug, label: categoryName(c, i18n.language) }))}
            value={parent}
            onChange={setParent}
            clearable
          />
        ) : null}
        <Text fw={600} size="sm">
          {t('taxonomy.names')}
        </Text>
        <Text size="xs" c="dimmed" mt={-8}>
          {t('taxonomy.namesHint')}
        </Text>
        {props.locales.map((l) => (
          <LimitedTextInput
            key={l.code}
            label={`${l.name} (${l.code})`}
            value={names[l.code] ?? ''}
            max={NAME_MAX}
            dir={l.dir}
            lang={l.code}
            showRequired={l.code === 'en'}
            required={l.code === 'en'}
            onChange={(e) => setNames({ ...names, [l.code]: e.currentTarget.value })}
          />
        ))}
        <LimitedTextarea
          label={t('taxonomy.descriptionField')}
          description={t('taxonomy.descriptionHint')}
          value={description}
          max={DESCRIPTION_MAX}
          autosize
          minRows={2}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common:cancel')}
          </Button>
          <Button
            onClick={() => void save()}
            disabled={!valid}
            loading={write.create.isPending || write.update.isPending}
          >
            {t('taxonomy.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Move: a subcategory to another parent, or to the top level; a top-level category without children under one. */
function MoveDialog(props: { category: CategoryView; top: CategoryView[]; hasChildren: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('classifier');
  const write = useTaxonomyWrite();
  const TOP = '__top__';
  const [parent, setParent] = useState<string>(props.category.parent ?? TOP);
  const [error, setError] = useState<string | null>(null);
  const options = [
    { value: TOP, label: t('taxonomy.topLevel') },
    ...props.top
      .filter((c) => c.slug !== props.category.slug)
      .map((c) => ({ value: c.slug, label: categoryName(c, i18n.language), disabled: props.hasChildren })),
  ];
  const save = async () => {
    try {
      await write.update.mutateAsync({ slug: props.category.slug, change: { parent: parent === TOP ? null : parent } });
      notify('success', t('taxonomy.moved'));
      props.onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('taxonomy.moveTitle', { name: categoryName(props.category, i18n.language) })}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('taxonomy.moveBody')}</Text>
        {props.hasChildren ? (
          <Text size="sm" c="dimmed">
            {t('taxonomy.moveHasChildren')}
          </Text>
        ) : null}
        <Select
          label={t('taxonomy.newParent')}
          data={options}
          value={parent}
          onChange={(v) => setParent(v ?? TOP)}
          allowDeselect={false}
        />
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common:cancel')}
          </Button>
          <Button
            onClick={() => void save()}
            loading={write.update.isPending}
            disabled={parent === (props.category.parent ?? TOP)}
          >
            {t('taxonomy.moveConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Merge into another category: labels move (no duplicates), subcategories follow, this one is archived. */
function MergeDialog(props: {
  category: CategoryView;
  live: CategoryView[];
  hasChildren: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('classifier');
  const write = useTaxonomyWrite();
  const [into, setInto] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = categoryName(props.category, i18n.language);
  const options = props.live
    .filter((c) => c.slug !== props.category.slug && c.parent !== props.category.slug)
    .filter((c) => !props.hasChildren || c.parent === null)
    .map((c) => {
      const parent = props.live.find((p) => p.slug === c.parent);
      const label = categoryName(c, i18n.language);
      return { value: c.slug, label: parent ? `${categoryName(parent, i18n.language)} › ${label}` : label };
    });
  const save = async () => {
    if (!into) return;
    try {
      const result = await write.merge.mutateAsync({ slug: props.category.slug, into });
      notify('success', t('taxonomy.merged', { count: result.movedLabels, children: result.movedChildren.length }));
      props.onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('taxonomy.mergeTitle', { name })}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('taxonomy.mergeBody', { name, count: props.category.humanLabels })}</Text>
        <Select
          label={t('taxonomy.mergeInto')}
          data={options}
          value={into}
          onChange={setInto}
          searchable
          nothingFoundMessage={t('taxonomy.nothingFound')}
        />
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common:cancel')}
          </Button>
          <Button color="orange" onClick={() => void save()} disabled={!into} loading={write.merge.isPending}>
            {t('taxonomy.mergeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Labelled examples per language, and the categories a language has none for (when the server reports them). */
function LanguageCoverageCard() {
  const { t } = useTranslation('classifier');
  const coverage = useLanguageCoverage();
  const { i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const bySlug = new Map((taxonomy.data?.categories ?? []).map((c) => [c.slug, c]));
  const languages = coverage.data?.languages;
  if (!languages || languages.length === 0) return null;
  return (
    <Card withBorder radius="md" padding="sm" mt="lg" component="section" aria-labelledby="languages-title">
      <Title order={2} size="h4" id="languages-title" mb={4}>
        {t('languages.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('languages.body')}
      </Text>
      <div className="al-table-wrap">
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('languages.language')}</Table.Th>
              <Table.Th scope="col">{t('languages.items')}</Table.Th>
              <Table.Th scope="col">{t('languages.labelled')}</Table.Th>
              <Table.Th scope="col">{t('languages.without')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {languages.map((l) => (
              <Table.Tr key={l.language}>
                <Table.Td>
                  {languageName(l.language, i18n.language)}{' '}
                  <Text span size="xs" c="dimmed" dir="ltr">
                    {l.language}
                  </Text>
                </Table.Td>
                <Table.Td>{format.number(l.items)}</Table.Td>
                <Table.Td>{format.number(l.labelled)}</Table.Td>
                <Table.Td>
                  {l.categoriesWithoutExamples.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('languages.none')}
                    </Text>
                  ) : (
                    <Text size="sm" dir="auto">
                      {l.categoriesWithoutExamples
                        .map((slug) => categoryName(bySlug.get(slug), i18n.language, slug))
                        .join(', ')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {coverage.data?.other && coverage.data.other.languages > 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          {t('languages.other', {
            count: coverage.data.other.languages,
            items: format.number(coverage.data.other.items),
          })}
        </Text>
      ) : null}
    </Card>
  );
}

/** A language's name in the reader's UI language ('es' → "Spanish"), or the code when the browser has none. */
function languageName(code: string, lng: string): string {
  try {
    return new Intl.DisplayNames([lng], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
