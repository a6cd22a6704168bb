import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Kbd,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowBackUp, IconKeyboard, IconPlayerSkipForward, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CategoryView,
  categoryName,
  QUEUE_PAGE,
  type QueueItem,
  queueApi,
  useQueue,
  useTaxonomy,
} from '../../api/classify.js';
import { ApiError } from '../../api/client.js';
import { useCan, useUser } from '../../app/session.js';
import { pct } from '../../components/insights/format.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { ClassifierTabs } from './parts.js';

/** Keys given to categories in order: 1–9, then a–z without S (skip) and U (undo). */
const CATEGORY_KEYS = [...'123456789abcdefghijklmnopqrtvwxyz'];

type Action = { kind: 'label'; item: QueueItem; category: string } | { kind: 'skip'; item: QueueItem };

interface KeyedCategory {
  key: string | null;
  category: CategoryView;
  group: CategoryView | null;
}

/** The categories one can label with: subcategories, and top-level categories without any, grouped by parent. */
function labelTargets(categories: CategoryView[]): KeyedCategory[] {
  const live = categories.filter((c) => !c.archived);
  const byPosition = (a: CategoryView, b: CategoryView) => a.position - b.position || a.slug.localeCompare(b.slug);
  const out: KeyedCategory[] = [];
  for (const top of live.filter((c) => c.parent === null).sort(byPosition)) {
    const children = live.filter((c) => c.parent === top.slug).sort(byPosition);
    if (children.length === 0) out.push({ key: null, category: top, group: null });
    for (const child of children) out.push({ key: null, category: child, group: top });
  }
  return out.map((entry, i) => ({ ...entry, key: CATEGORY_KEYS[i] ?? null }));
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * The labelling queue: one item at a time, the one the active model is least sure of first. Keyboard first (one
 * key per category, Enter for the highlighted guess, S skip, U or Ctrl+Z undo, ? the shortcuts); the mouse works too.
 */
export function QueueScreen() {
  const { t, i18n } = useTranslation('classifier');
  const user = useUser();
  const canLabel = useCan('labels.write');
  const client = useQueryClient();
  const queue = useQueue();
  const taxonomy = useTaxonomy();
  const [done, setDone] = useState<Set<number>>(() => new Set());
  const [returned, setReturned] = useState<QueueItem | null>(null);
  const [history, setHistory] = useState<Action[]>([]);
  const [labelled, setLabelled] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const filterRef = useRef<HTMLInputElement>(null);

  const targets = useMemo(() => labelTargets(taxonomy.data?.categories ?? []), [taxonomy.data]);
  const bySlug = useMemo(() => new Map((taxonomy.data?.categories ?? []).map((c) => [c.slug, c])), [taxonomy.data]);
  const nameOf = useCallback(
    (slug: string) => categoryName(bySlug.get(slug), i18n.language, slug),
    [bySlug, i18n.language],
  );
  const waiting = (queue.data?.items ?? []).filter((item) => !done.has(item.itemId));
  const current = returned ?? waiting[0] ?? null;
  const guesses = (current?.predicted?.top ?? []).filter((g) => bySlug.has(g.category)).slice(0, 3);
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? targets.filter(
        (t) =>
          t.category.slug.includes(needle) ||
          Object.values(t.category.names).some((n) => n.toLowerCase().includes(needle)) ||
          (t.group && categoryName(t.group, i18n.language).toLowerCase().includes(needle)),
      )
    : targets;

  // A new item starts with its most likely guess highlighted.
  const currentId = current?.itemId;
  useEffect(() => {
    if (currentId !== undefined) setHighlight(0);
  }, [currentId]);

  const refill = useCallback(() => {
    void client.invalidateQueries({ queryKey: ['classify', 'queue'] });
  }, [client]);

  const run = useCallback(
    async (action: Action, write: () => Promise<unknown>, message: string) => {
      setBusy(true);
      try {
        await write();
        setHistory((h) => [...h.slice(-49), action]);
        setDone((d) => new Set(d).add(action.item.itemId));
        setReturned((r) => (r?.itemId === action.item.itemId ? null : r));
        if (action.kind === 'label') setLabelled((n) => n + 1);
        setFilter('');
        setAnnouncement(message);
        if (waiting.length <= 5) refill();
      } catch (error) {
        notify('error', error instanceof ApiError ? error.message : String(error));
      } finally {
        setBusy(false);
      }
    },
    [refill, waiting.length],
  );

  const label = useCallback(
    (slug: string) => {
      if (!current || busy || !canLabel) return;
      void run(
        { kind: 'label', item: current, category: slug },
        () => queueApi.label(current, slug, user.email),
        t('queue.labelledAs', { name: nameOf(slug) }),
      );
    },
    [current, busy, canLabel, run, user.email, t, nameOf],
  );

  const skip = useCallback(() => {
    if (!current || busy || !canLabel) return;
    void run({ kind: 'skip', item: current }, () => queueApi.skip(current), t('queue.skipped'));
  }, [current, busy, canLabel, run, t]);

  const undo = useCallback(async () => {
    const last = history.at(-1);
    if (!last || busy) return;
    setBusy(true);
    try {
      if (last.kind === 'label') await queueApi.unlabel(last.item, last.category);
      else await queueApi.unskip(last.item);
      setHistory((h) => h.slice(0, -1));
      setDone((d) => {
        const next = new Set(d);
        next.delete(last.item.itemId);
        return next;
      });
      if (last.kind === 'label') setLabelled((n) => Math.max(0, n - 1));
      setReturned(last.item);
      setAnnouncement(t('queue.undone'));
    } catch (error) {
      notify('error', error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }, [history, busy, t]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.metaKey) return;
      if (
        (event.ctrlKey && event.key.toLowerCase() === 'z') ||
        (!event.ctrlKey && event.key.toLowerCase() === 'u' && !isTyping(event.target))
      ) {
        event.preventDefault();
        void undo();
        return;
      }
      if (event.ctrlKey) return;
      if (isTyping(event.target)) {
        if (event.target === filterRef.current && event.key === 'Escape') {
          setFilter('');
          filterRef.current?.blur();
        }
        return;
      }
      // A dialog (the shortcuts) owns the keyboard while it is open.
      if (document.querySelector('[role="dialog"]')) return;
      const key = event.key.toLowerCase();
      if (key === '?') setShortcutsOpen(true);
      else if (key === 's') skip();
      else if (key === '/') {
        event.preventDefault();
        filterRef.current?.focus();
      } else if (key === 'enter') {
        const guess = guesses[highlight];
        if (guess) label(guess.category);
      } else if (key === 'arrowdown' || key === 'arrowup') {
        if (guesses.length === 0) return;
        event.preventDefault();
        setHighlight((h) => (h + (key === 'arrowdown' ? 1 : guesses.length - 1)) % guesses.length);
      } else {
        const target = targets.find((entry) => entry.key === key);
        if (target) {
          event.preventDefault();
          label(target.category.slug);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, skip, label, guesses, highlight, targets]);

  const keyOf = (slug: string) => targets.find((entry) => entry.key && entry.category.slug === slug)?.key ?? null;
  const groups: { group: CategoryView | null; entries: KeyedCategory[] }[] = [];
  for (const entry of shown) {
    const last = groups.at(-1);
    if (last && last.group?.slug === entry.group?.slug) last.entries.push(entry);
    else groups.push({ group: entry.group, entries: [entry] });
  }
  const pageFull = (queue.data?.items.length ?? 0) >= QUEUE_PAGE;

  return (
    <div className="al-page">
      <PageHeader
        title={t('queue.title')}
        description={t('queue.description')}
        helpNs="classifier"
        actions={
          <Button
            variant="default"
            leftSection={<IconKeyboard size={16} aria-hidden />}
            onClick={() => setShortcutsOpen(true)}
          >
            {t('queue.shortcuts')}
          </Button>
        }
      />
      <ClassifierTabs active="queue" />
      <div aria-live="polite" className="al-visually-hidden">
        {announcement}
      </div>
      <Group gap="lg" mb="sm" data-testid="queue-progress">
        <Text size="sm">
          {t('queue.labelledThisSession')} <strong data-testid="labelled-count">{format.number(labelled)}</strong>
        </Text>
        <Text size="sm">
          {t('queue.waiting')}{' '}
          <strong>
            {pageFull ? `${format.number(QUEUE_PAGE)}+` : format.number(waiting.length + (returned ? 1 : 0))}
          </strong>
        </Text>
        {queue.data?.modelVersion ? (
          <Text size="sm" c="dimmed">
            {t('queue.orderedBy', { version: queue.data.modelVersion })}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('queue.noModel')}
          </Text>
        )}
      </Group>
      {!canLabel ? (
        <Alert color="gray" mb="sm">
          {t('queue.readOnly')}
        </Alert>
      ) : null}
      {queue.error ? (
        <Alert color="red" role="alert" title={t('loadFailed')}>
          {queue.error instanceof ApiError ? queue.error.message : String(queue.error)}
        </Alert>
      ) : null}
      {queue.isLoading || taxonomy.isLoading ? <Skeleton h={200} /> : null}
      {queue.data && !current ? (
        <Card withBorder className="al-empty">
          <Title order={2} size="h4">
            {t('queue.emptyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('queue.emptyBody')}
          </Text>
        </Card>
      ) : null}
      {current ? (
        <Stack gap="md">
          <Card
            withBorder
            radius="md"
            padding="md"
            component="section"
            aria-label={t('queue.item')}
            data-item-id={current.itemId}
          >
            <Group gap="xs" mb="xs">
              <Badge variant="light">{t(`kind.${current.kind}`)}</Badge>
              {current.locale ? (
                <Badge variant="outline" color="gray">
                  <span dir="ltr">{current.locale}</span>
                </Badge>
              ) : null}
              {current.language && current.language !== current.locale ? (
                <Badge variant="outline" color="gray" title={t('queue.detected')}>
                  <span dir="ltr">{t('queue.language', { language: current.language })}</span>
                </Badge>
              ) : null}
              <Text size="xs" c="dimmed">
                {format.date(current.createdAt)}
              </Text>
            </Group>
            <Text
              className="al-queue-text"
              dir="auto"
              lang={current.language ?? current.locale ?? undefined}
              data-testid="queue-text"
            >
              {current.text}
            </Text>
          </Card>
          <Card withBorder radius="md" padding="md" component="section" aria-labelledby="guesses-title">
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h5" id="guesses-title">
                {t('queue.guesses')}
              </Title>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconPlayerSkipForward size={14} aria-hidden />}
                  rightSection={<Kbd size="xs">S</Kbd>}
                  onClick={skip}
                  disabled={!canLabel || busy}
                >
                  {t('queue.skip')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconArrowBackUp size={14} aria-hidden />}
                  rightSection={<Kbd size="xs">U</Kbd>}
                  onClick={() => void undo()}
                  disabled={history.length === 0 || busy}
                >
                  {t('queue.undo')}
                </Button>
              </Group>
            </Group>
            {guesses.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('queue.noGuess')}
              </Text>
            ) : (
              <Group gap="xs">
                {guesses.map((guess, i) => (
                  <Button
                    key={guess.category}
                    className="al-guess"
                    data-highlighted={i === highlight}
                    variant={i === highlight ? 'filled' : 'light'}
                    onClick={() => label(guess.category)}
                    disabled={!canLabel || busy}
                    rightSection={i === highlight ? <Kbd size="xs">Enter</Kbd> : null}
                  >
                    <span dir="auto">{nameOf(guess.category)}</span>&nbsp;·&nbsp;{pct(guess.confidence)}
                  </Button>
                ))}
              </Group>
            )}
          </Card>
          <Card withBorder radius="md" padding="md" component="section" aria-labelledby="categories-title">
            <Group justify="space-between" mb="xs" wrap="wrap">
              <Title order={2} size="h5" id="categories-title">
                {t('queue.categories')}
              </Title>
              <TextInput
                ref={filterRef}
                size="xs"
                w={240}
                leftSection={<IconSearch size={14} aria-hidden />}
                placeholder={t('queue.filterPlaceholder')}
                aria-label={t('queue.filter')}
                value={filter}
                onChange={(e) => setFilter(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && shown[0]) {
                    e.preventDefault();
                    label(shown[0].category.slug);
                  }
                }}
              />
            </Group>
            {groups.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('queue.noMatch')}
              </Text>
            ) : null}
            <Stack gap="sm">
              {groups.map(({ group, entries }) => (
                <div key={group?.slug ?? `top-${entries[0]?.category.slug}`}>
                  {group ? (
                    <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={2} dir="auto">
                      {categoryName(group, i18n.language)}
                    </Text>
                  ) : null}
                  <div className="al-category-grid">
                    {entries.map((entry) => (
                      <UnstyledButton
                        key={entry.category.slug}
                        className="al-category-button"
                        onClick={() => label(entry.category.slug)}
                        disabled={!canLabel || busy}
                        data-category={entry.category.slug}
                      >
                        <span className="al-key" aria-hidden={entry.key ? undefined : true}>
                          {keyOf(entry.category.slug)?.toUpperCase() ?? '·'}
                        </span>
                        <Text size="sm" dir="auto">
                          {categoryName(entry.category, i18n.language)}
                        </Text>
                      </UnstyledButton>
                    ))}
                  </div>
                </div>
              ))}
            </Stack>
          </Card>
        </Stack>
      ) : null}
      <Modal
        opened={shortcutsOpen}
        onClose={() => setShortcutsOpen(false)}
        title={t('queue.shortcuts')}
        closeButtonProps={{ 'aria-label': t('common:close') }}
      >
        <Table fz="sm">
          <Table.Tbody>
            {(
              [
                ['1–9, A–Z', t('queue.keys.category')],
                ['Enter', t('queue.keys.enter')],
                ['↑ ↓', t('queue.keys.arrows')],
                ['S', t('queue.keys.skip')],
                ['U, Ctrl+Z', t('queue.keys.undo')],
                ['/', t('queue.keys.filter')],
                ['?', t('queue.keys.help')],
              ] as const
            ).map(([keys, what]) => (
              <Table.Tr key={keys}>
                <Table.Td dir="ltr" w={110}>
                  <Kbd size="xs">{keys}</Kbd>
                </Table.Td>
                <Table.Td>{what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Modal>
    </div>
  );
}
