import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowMerge,
  IconBulb,
  IconCheck,
  IconPencil,
  IconRefresh,
  IconTrendingUp,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api/client.js';
import {
  type TaxonomyCategory,
  type ThemeDecision,
  type ThemeProposal,
  useDecideTheme,
  useDiscoverThemes,
  useTaxonomy,
  useThemes,
} from '../../api/themes.js';
import { useCan } from '../../app/session.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import './themes.css';

type Dialog = { kind: 'accept' | 'merge' | 'rename'; proposal: ThemeProposal } | null;

function categoryName(category: TaxonomyCategory | undefined, lng: string, slug: string): string {
  return category?.names[lng] || category?.names.en || slug;
}

/** "es" → "Spanish" (in the UI's language); 'und' and unknown codes stay as they are. */
function languageName(code: string | null, lng: string): string {
  if (!code || code === 'und') return code ?? '—';
  try {
    return new Intl.DisplayNames([lng], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Theme proposals as cards: name, distinctive words, volume and trend, examples, and the analyst's decisions. */
export function ThemesScreen() {
  const { t, i18n } = useTranslation('themes');
  const canAct = useCan('classify.write');
  const themes = useThemes();
  const taxonomy = useTaxonomy();
  const discover = useDiscoverThemes();
  const decide = useDecideTheme();
  const [dialog, setDialog] = useState<Dialog>(null);
  const lng = i18n.language;
  const categories = taxonomy.data?.categories ?? [];
  const bySlug = new Map(categories.map((c) => [c.slug, c]));

  const act = async (decision: ThemeDecision, done: string) => {
    try {
      await decide.mutateAsync(decision);
      notify('success', done);
      setDialog(null);
    } catch (error) {
      notify('error', error instanceof ApiError ? error.message : String(error));
    }
  };

  const run = themes.data?.run ?? null;
  const current = themes.data?.current ?? null;
  const running = current?.status === 'running';
  const proposals = themes.data?.proposals ?? [];
  const open = proposals.filter((p) => p.status === 'open');
  const decided = proposals.filter((p) => p.status !== 'open');

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        helpNs="themes"
        actions={
          canAct ? (
            <Button
              leftSection={<IconRefresh size={16} aria-hidden />}
              loading={discover.isPending || running}
              onClick={() =>
                discover.mutate(undefined, {
                  onError: (error) => notify('error', error instanceof ApiError ? error.message : String(error)),
                })
              }
            >
              {t('discover')}
            </Button>
          ) : null
        }
      />
      <Paper withBorder radius="md" p="sm" mb="md" className="themes-run" aria-live="polite">
        {running ? (
          <Stack gap={6} mb={run ? 'sm' : 0}>
            <Text size="sm">{t('running', { percent: Math.round((current?.progress ?? 0) * 100) })}</Text>
            <Progress value={(current?.progress ?? 0) * 100} size="sm" animated aria-label={t('progress')} />
          </Stack>
        ) : current?.status === 'failed' ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} mb={run ? 'sm' : 0} p="xs">
            {t('failed', { when: format.date(current.createdAt), error: current.error ?? '' })}
          </Alert>
        ) : null}
        {run ? (
          <Group gap="lg" wrap="wrap">
            <Text size="sm">{t('run.when', { when: format.date(run.createdAt), who: run.createdBy })}</Text>
            <Text size="sm" c="dimmed">
              {t(run.capped ? 'run.textsCapped' : 'run.texts', {
                count: run.texts,
                texts: format.number(run.texts),
                days: run.windowDays,
              })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('run.found', { count: proposals.length, noise: format.number(run.noise) })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('run.seconds', { seconds: run.seconds.toFixed(1) })}
            </Text>
            {run.languages.length > 0 ? (
              <Text size="sm" c="dimmed">
                {t('run.languages', {
                  list: run.languages
                    .filter((l) => l.clustered)
                    .map((l) => `${languageName(l.language, lng)} ${format.number(l.texts)}`)
                    .join(' · '),
                })}
              </Text>
            ) : null}
            {run.tooFew > 0 ? (
              <Text size="sm" c="dimmed">
                {t('run.tooFew', { count: run.tooFew, texts: format.number(run.tooFew) })}
              </Text>
            ) : null}
          </Group>
        ) : running ? null : (
          <Text size="sm">{t('run.never')}</Text>
        )}
      </Paper>
      {themes.isError ? (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error')} role="alert">
          {themes.error instanceof ApiError ? themes.error.message : String(themes.error)}
        </Alert>
      ) : themes.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Skeleton h={280} radius="md" />
          <Skeleton h={280} radius="md" />
        </SimpleGrid>
      ) : open.length === 0 ? (
        <Paper withBorder radius="md" p="xl" className="themes-empty">
          <Stack align="center" gap="xs">
            <ThemeIcon size={48} radius="xl" variant="light">
              <IconBulb size={28} aria-hidden />
            </ThemeIcon>
            <Title order={2} size="h4">
              {run ? t('empty.doneTitle') : t('empty.title')}
            </Title>
            <Text size="sm" c="dimmed" ta="center" maw={520}>
              {run ? t('empty.doneBody') : t('empty.body')}
            </Text>
          </Stack>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {open.map((p) => (
            <ProposalCard
              key={p.id}
              proposal={p}
              categoryLabel={p.category ? categoryName(bySlug.get(p.category), lng, p.category) : null}
              languageLabel={languageName(p.language, lng)}
              canAct={canAct}
              busy={decide.isPending}
              onAccept={() => setDialog({ kind: 'accept', proposal: p })}
              onMerge={() => setDialog({ kind: 'merge', proposal: p })}
              onRename={() => setDialog({ kind: 'rename', proposal: p })}
              onDismiss={() => void act({ action: 'dismiss', id: p.id }, t('done.dismissed', { name: p.name }))}
            />
          ))}
        </SimpleGrid>
      )}
      {decided.length > 0 ? (
        <Stack gap="xs" mt="xl">
          <Title order={2} size="h4">
            {t('decided.title')}
          </Title>
          {decided.map((p) => (
            <Paper key={p.id} withBorder radius="md" p="sm" data-testid="theme-decided">
              <Group justify="space-between" wrap="wrap" gap="xs">
                {/* What the analyst decided: the category the items now carry (under its current name), else the
                    dismissed proposal's own name. */}
                {p.result?.category ? (
                  <Anchor component={Link} href="/classifier/taxonomy" size="sm" fw={600} dir="auto">
                    {categoryName(bySlug.get(p.result.category), lng, p.result.category)}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={600} dir="auto">
                    {p.name}
                  </Text>
                )}
                <Group gap="xs">
                  <Badge color={p.status === 'dismissed' ? 'gray' : 'teal'} variant="light">
                    {t(`status.${p.status}`)}
                  </Badge>
                  {p.result?.category ? (
                    <Text size="xs" c="dimmed">
                      {t('decided.labels', {
                        count: p.result.labeled ?? 0,
                        labels: format.number(p.result.labeled ?? 0),
                      })}
                    </Text>
                  ) : null}
                  <Text size="xs" c="dimmed">
                    {t('decided.by', { who: p.result?.decidedBy ?? '', when: format.date(p.result?.decidedAt) })}
                  </Text>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : null}
      <AcceptDialog
        dialog={dialog?.kind === 'accept' ? dialog.proposal : null}
        categories={categories}
        lng={lng}
        busy={decide.isPending}
        onClose={() => setDialog(null)}
        onSubmit={(p, body) => act({ action: 'accept', id: p.id, body }, t('done.accepted', { name: body.name }))}
      />
      <MergeDialog
        dialog={dialog?.kind === 'merge' ? dialog.proposal : null}
        categories={categories}
        lng={lng}
        busy={decide.isPending}
        onClose={() => setDialog(null)}
        onSubmit={(p, category) =>
          act(
            { action: 'merge', id: p.id, body: { category } },
            t('done.merged', { category: categoryName(bySlug.get(category), lng, category) }),
          )
        }
      />
      <RenameDialog
        dialog={dialog?.kind === 'rename' ? dialog.proposal : null}
        busy={decide.isPending}
        onClose={() => setDialog(null)}
        onSubmit={(p, name) => act({ action: 'rename', id: p.id, body: { name } }, t('done.renamed', { name }))}
      />
    </>
  );
}

function ProposalCard(props: {
  proposal: ThemeProposal;
  categoryLabel: string | null;
  languageLabel: string;
  canAct: boolean;
  busy: boolean;
  onAccept: () => void;
  onMerge: () => void;
  onRename: () => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation('themes');
  const p = props.proposal;
  const rising = p.trend.lastWeek > Math.max(1, p.trend.weeklyBefore * 1.5);
  return (
    <Card withBorder radius="md" padding="lg" className="theme-card" data-testid="theme-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={3} size="h4" dir="auto" className="theme-name">
            {p.name}
          </Title>
          <Group gap={6}>
            {p.kind === 'new' ? (
              <Badge variant="light" color="grape">
                {t('kind.new')}
              </Badge>
            ) : (
              <Badge variant="light" color={p.kind === 'merge' ? 'blue' : 'orange'}>
                {t(`kind.${p.kind}`, { category: props.categoryLabel ?? p.category ?? '' })}
              </Badge>
            )}
            {p.language ? (
              <Badge variant="light" color="gray" tt="none">
                {props.languageLabel}
              </Badge>
            ) : null}
            {rising ? (
              <Badge variant="light" color="red" leftSection={<IconTrendingUp size={12} aria-hidden />}>
                {t('rising')}
              </Badge>
            ) : null}
          </Group>
        </Stack>
        <Stack gap={0} align="flex-end" className="theme-volume">
          <Text fw={700} size="xl" lh={1.1}>
            {format.number(p.items)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('volume', { count: p.items, share: (p.share * 100).toFixed(1) })}
          </Text>
        </Stack>
      </Group>
      <Group gap={6} mt="sm" aria-label={t('terms')}>
        {p.terms.map((term) => (
          <Badge key={term} variant="outline" color="gray" radius="sm" tt="none" dir="auto">
            {term}
          </Badge>
        ))}
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {t('trend', { lastWeek: p.trend.lastWeek, before: p.trend.weeklyBefore.toFixed(1) })}
      </Text>
      <Stack gap={6} mt="md" component="ul" className="theme-examples" aria-label={t('examples')}>
        {p.examples.map((e) => (
          <li key={e.itemId}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Badge size="xs" variant="default" className="theme-locale">
                {e.locale ?? '—'}
              </Badge>
              <Text size="sm" dir="auto" lineClamp={3} className="theme-example">
                {e.text}
              </Text>
            </Group>
          </li>
        ))}
      </Stack>
      {props.canAct ? (
        <Group gap="xs" mt="md" pt="sm" className="theme-actions">
          <Button size="xs" leftSection={<IconCheck size={14} aria-hidden />} onClick={props.onAccept}>
            {t('actions.accept')}
          </Button>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconArrowMerge size={14} aria-hidden />}
            onClick={props.onMerge}
          >
            {t('actions.merge')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={props.onRename}
          >
            {t('actions.rename')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="gray"
            leftSection={<IconX size={14} aria-hidden />}
            onClick={props.onDismiss}
            disabled={props.busy}
          >
            {t('actions.dismiss')}
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}

function AcceptDialog(props: {
  dialog: ThemeProposal | null;
  categories: TaxonomyCategory[];
  lng: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (
    p: ThemeProposal,
    body: { name: string; locale: string; parent: string | null; description: string },
  ) => void;
}) {
  const { t } = useTranslation('themes');
  const p = props.dialog;
  const [name, setName] = useState('');
  const [parent, setParent] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [forId, setForId] = useState<number | null>(null);
  if (p && forId !== p.id) {
    setForId(p.id);
    setName(p.name);
    setParent(null);
    setDescription('');
  }
  const parents = props.categories
    .filter((c) => c.parent === null)
    .map((c) => ({ value: c.slug, label: categoryName(c, props.lng, c.slug) }));
  return (
    <Modal opened={!!p} onClose={props.onClose} title={t('accept.title')} centered>
      {p ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            props.onSubmit(p, { name: name.trim(), locale: props.lng, parent, description: description.trim() });
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('accept.body', { count: p.items })}
            </Text>
            <TextInput
              label={t('accept.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              maxLength={120}
              dir="auto"
              data-autofocus
            />
            <Select
              label={t('accept.parent')}
              placeholder={t('accept.topLevel')}
              data={parents}
              value={parent}
              onChange={setParent}
              clearable
              searchable
            />
            <Textarea
              label={t('accept.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              maxLength={1000}
              autosize
              minRows={2}
              dir="auto"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={props.busy} disabled={name.trim() === ''}>
                {t('accept.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

function MergeDialog(props: {
  dialog: ThemeProposal | null;
  categories: TaxonomyCategory[];
  lng: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (p: ThemeProposal, category: string) => void;
}) {
  const { t } = useTranslation('themes');
  const p = props.dialog;
  const [category, setCategory] = useState<string | null>(null);
  const [forId, setForId] = useState<number | null>(null);
  if (p && forId !== p.id) {
    setForId(p.id);
    setCategory(p.category);
  }
  const bySlug = new Map(props.categories.map((c) => [c.slug, c]));
  const options = props.categories.map((c) => ({
    value: c.slug,
    label: c.parent
      ? `${categoryName(bySlug.get(c.parent), props.lng, c.parent)} › ${categoryName(c, props.lng, c.slug)}`
      : categoryName(c, props.lng, c.slug),
  }));
  return (
    <Modal opened={!!p} onClose={props.onClose} title={t('merge.title')} centered>
      {p ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (category) props.onSubmit(p, category);
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('merge.body', { count: p.items })}
            </Text>
            <Select
              label={t('merge.category')}
              data={options}
              value={category}
              onChange={setCategory}
              searchable
              required
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={props.busy} disabled={!category}>
                {t('merge.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

function RenameDialog(props: {
  dialog: ThemeProposal | null;
  busy: boolean;
  onClose: () => void;
  onSubmit: (p: ThemeProposal, name: string) => void;
}) {
  const { t } = useTranslation('themes');
  const p = props.dialog;
  const [name, setName] = useState('');
  const [forId, setForId] = useState<number | null>(null);
  if (p && forId !== p.id) {
    setForId(p.id);
    setName(p.name);
  }
  return (
    <Modal opened={!!p} onClose={props.onClose} title={t('rename.title')} centered>
      {p ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            props.onSubmit(p, name.trim());
          }}
        >
          <Stack gap="sm">
            <TextInput
              label={t('rename.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              maxLength={120}
              dir="auto"
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={props.busy} disabled={name.trim() === ''}>
                {t('rename.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
