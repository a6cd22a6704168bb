import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconDownload, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { localized } from '../../../../src/modules/forms/form-logic.js';
import { ApiError } from '../../api/client.js';
import { useFormDetail } from '../../api/forms.js';
import {
  TICKET_STATUSES,
  type TicketStatus,
  type TicketView,
  useDeliveries,
  useRetryDelivery,
  useTicket,
  useUpdateTicketStatus,
} from '../../api/tickets.js';
import { useCan } from '../../app/session.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { DeliveryBadge, PredictionText } from './parts.js';
import { predictionOf } from './TicketsScreen.js';

type Attachment = NonNullable<TicketView['attachments']>[number];

/** An answer as text: a list joined, a file as a download link to its attachment (never shown inline). */
function AnswerValue({
  value,
  attachments,
  optionLabel,
}: {
  value: unknown;
  attachments: Attachment[];
  optionLabel: (value: string) => string | undefined;
}) {
  if (value === undefined || value === null || value === '') return <Text c="dimmed">—</Text>;
  const choice = (v: string) => {
    const label = optionLabel(v);
    return label && label !== v ? `${label} (${v})` : v;
  };
  if (Array.isArray(value)) return <span dir="auto">{value.map((v) => choice(String(v))).join(', ')}</span>;
  if (typeof value === 'object') {
    const file = value as { filename?: string; size?: number };
    const attachment = attachments.find((a) => a.filename === file.filename);
    return attachment ? (
      <Anchor href={attachment.url} download={attachment.filename} data-testid="attachment-link">
        <Group gap={4} wrap="nowrap" component="span">
          <IconDownload size={14} aria-hidden />
          <span dir="auto">{attachment.filename}</span>
          <Text span size="xs" c="dimmed">
            ({format.number(Math.ceil(attachment.size / 1024))} KB)
          </Text>
        </Group>
      </Anchor>
    ) : (
      <span dir="auto">{file.filename ?? JSON.stringify(value)}</span>
    );
  }
  return (
    <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
      {typeof value === 'string' ? choice(value) : String(value)}
    </Text>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Facts({ children }: { children: ReactNode }) {
  return (
    <Table verticalSpacing={4} className="al-facts">
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w="40%">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** One ticket for the agent: what the reader wrote and answered, where they came from, the model's guess, delivery. */
export function TicketScreen({ params }: { params: { id: string } }) {
  const id = Number(params.id);
  const { t, i18n } = useTranslation('tickets');
  const canWrite = useCan('tickets.write');
  const ticket = useTicket(id);
  const status = useUpdateTicketStatus(id);
  const retry = useRetryDelivery();
  const formKey = ticket.data?.form?.key;
  // Option labels come from the form's current version (the ticket keeps the chosen values, not their labels).
  const formDetail = useFormDetail(formKey ?? '', formKey !== undefined);
  const failed = ticket.data?.delivery?.status === 'failed';
  // The outbox row to retry: the ticket view's, or found among the failed deliveries when the view lacks its id.
  const deadLetters = useDeliveries('failed', failed && ticket.data?.delivery?.id === undefined);

  if (ticket.error) {
    return (
      <div className="al-page">
        <PageHeader title={t('detail.title', { id: params.id })} helpNs="tickets" />
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert" title={t('common:error.loadTitle')}>
          {ticket.error instanceof ApiError ? ticket.error.message : String(ticket.error)}
        </Alert>
      </div>
    );
  }
  if (!ticket.data) {
    return (
      <div className="al-page">
        <PageHeader title={t('detail.title', { id: params.id })} helpNs="tickets" />
        <Skeleton height={300} radius="md" />
      </div>
    );
  }
  const tk = ticket.data;
  const attachments = tk.attachments ?? [];
  const delivery = tk.delivery;
  const optionLabels = new Map<string, Map<string, string>>();
  for (const field of formDetail.data?.definition.fields ?? []) {
    const defaultLocale = formDetail.data?.definition.defaultLocale ?? 'en';
    const labels = new Map(
      (field.options ?? []).map((o) => [o.value, localized(o.label, i18n.language, defaultLocale)]),
    );
    optionLabels.set(field.name, labels);
  }
  const outboxId = delivery?.id ?? deadLetters.data?.deliveries.find((d) => d.ticketId === tk.id)?.id;
  const prediction = predictionOf(tk);
  const context = tk.form?.context ?? {};
  const article = typeof context.article === 'string' ? context.article : tk.sourceArticle;
  const query = typeof context.query === 'string' ? context.query : null;

  return (
    <div className="al-page">
      <PageHeader
        title={tk.subject}
        description={
          <>
            <bdi dir="ltr">{tk.reference ?? `#${tk.id}`}</bdi> · {format.date(tk.createdAt)}
          </>
        }
        helpNs="tickets"
        actions={
          <Button
            component={Link}
            href="/tickets"
            variant="default"
            leftSection={<IconArrowLeft size={16} aria-hidden className="al-flip-rtl" />}
          >
            {t('detail.back')}
          </Button>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Section title={t('detail.message')}>
              <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }} lang={tk.locale ?? undefined}>
                {tk.body || '—'}
              </Text>
            </Section>
            {tk.form ? (
              <Section title={t('detail.answers', { form: tk.form.key, version: tk.form.version })}>
                <div className="al-table-wrap">
                  <Table verticalSpacing={4} data-testid="answers" className="al-facts">
                    <Table.Tbody>
                      {tk.form.fields
                        .filter((f) => f.type !== 'notice')
                        .map((field) => (
                          <Table.Tr key={field.name}>
                            <Table.Th scope="row" w="40%">
                              <span dir="auto">{field.label || field.name}</span>
                            </Table.Th>
                            <Table.Td>
                              <AnswerValue
                                value={tk.form?.answers[field.name]}
                                attachments={attachments}
                                optionLabel={(v) => optionLabels.get(field.name)?.get(v)}
                              />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                    </Table.Tbody>
                  </Table>
                </div>
              </Section>
            ) : null}
            {attachments.length > 0 ? (
              <Section title={t('detail.attachments')}>
                <Stack gap={4}>
                  {attachments.map((a) => (
                    <Anchor key={a.id} href={a.url} download={a.filename} size="sm">
                      <span dir="auto">{a.filename}</span> · {a.contentType} · {format.number(Math.ceil(a.size / 1024))}{' '}
                      KB
                    </Anchor>
                  ))}
                </Stack>
              </Section>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Section title={t('detail.ticket')}>
              <Stack gap="xs">
                <Select
                  label={t('detail.status')}
                  data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                  value={tk.status}
                  disabled={!canWrite || status.isPending}
                  allowDeselect={false}
                  onChange={(value) =>
                    value &&
                    status.mutate(value as TicketStatus, {
                      onSuccess: () => notify('success', t('detail.statusSaved')),
                      onError: (error) => notify('error', error instanceof ApiError ? error.message : String(error)),
                    })
                  }
                  w={200}
                />
                <Facts>
                  <Fact label={t('detail.reference')}>
                    <span dir="ltr">{tk.reference ?? '—'}</span>
                  </Fact>
                  <Fact label={t('detail.locale')}>{tk.locale ?? '—'}</Fact>
                  <Fact label={t('detail.channel')}>{`${tk.channel} · ${t(`source.${tk.source}`)}`}</Fact>
                  <Fact label={t('detail.requester')}>
                    <Text size="xs" dir="ltr" truncate="end">
                      {tk.requester ?? '—'}
                    </Text>
                  </Fact>
                </Facts>
              </Stack>
            </Section>
            <Section title={t('detail.context')}>
              <Facts>
                <Fact label={t('detail.article')}>
                  {article ? (
                    <Anchor href={`/${tk.locale ?? 'en'}/articles/${encodeURIComponent(article)}`} target="_blank">
                      {article}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Fact>
                <Fact label={t('detail.query')}>{query ? <span dir="auto">“{query}”</span> : '—'}</Fact>
                {Object.entries(context)
                  .filter(([k]) => k !== 'article' && k !== 'query')
                  .map(([k, v]) => (
                    <Fact key={k} label={k}>
                      {String(v)}
                    </Fact>
                  ))}
              </Facts>
            </Section>
            <Section title={t('detail.classification')}>
              <Facts>
                <Fact label={t('detail.prediction')}>
                  <PredictionText {...prediction} />
                </Fact>
                <Fact label={t('detail.labels')}>
                  {tk.labels?.human.length ? (
                    <Group gap={4}>
                      {tk.labels.human.map((l) => (
                        <Badge key={l.category} variant="light" radius="sm" tt="none">
                          {l.name}
                        </Badge>
                      ))}
                    </Group>
                  ) : (
                    '—'
                  )}
                </Fact>
              </Facts>
            </Section>
            <Section title={t('detail.delivery')}>
              {delivery ? (
                <Stack gap="xs" data-testid="delivery">
                  <Group gap="xs">
                    <DeliveryBadge status={delivery.status} />
                    {delivery.connector ? <Text size="sm">{t(`connector.${delivery.connector}`)}</Text> : null}
                  </Group>
                  <Facts>
                    <Fact label={t('detail.attempts')}>{format.number(delivery.attempts)}</Fact>
                    <Fact label={t('detail.lastError')}>
                      {delivery.lastError ? (
                        <Text size="sm" c="red.8" dir="ltr" style={{ wordBreak: 'break-word' }}>
                          {delivery.lastStatus ? `HTTP ${delivery.lastStatus} · ` : ''}
                          {delivery.lastError}
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Fact>
                    <Fact label={t('detail.nextAttempt')}>{format.date(delivery.nextAttemptAt)}</Fact>
                    <Fact label={t('detail.deliveredAt')}>{format.date(delivery.deliveredAt)}</Fact>
                    <Fact label={t('detail.externalId')}>
                      <span dir="ltr">{delivery.externalId ?? '—'}</span>
                    </Fact>
                    <Fact label={t('detail.deliveryId')}>
                      <Text size="xs" dir="ltr">
                        {delivery.deliveryId}
                      </Text>
                    </Fact>
                  </Facts>
                  {delivery.status === 'failed' && canWrite && outboxId !== undefined ? (
                    <Button
                      w="fit-content"
                      color="orange"
                      leftSection={<IconRefresh size={16} aria-hidden />}
                      loading={retry.isPending}
                      onClick={() =>
                        retry.mutate(outboxId, {
                          onSuccess: () => notify('success', t('retry.done')),
                          onError: (error) =>
                            notify('error', error instanceof ApiError ? error.message : String(error)),
                        })
                      }
                    >
                      {t('retry.button')}
                    </Button>
                  ) : null}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('detail.notForwarded')}
                </Text>
              )}
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </div>
  );
}
