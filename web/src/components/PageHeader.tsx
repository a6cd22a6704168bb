import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHelpCircle } from '@tabler/icons-react';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { HelpPanel } from './HelpPanel.js';

/** Title, description and actions of a screen, with the Help button that opens the screen's guide. */
export function PageHeader(props: { title: ReactNode; description?: ReactNode; actions?: ReactNode; helpNs: string }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  useEffect(() => {
    if (typeof props.title === 'string') document.title = `${props.title} · Answerloop`;
  }, [props.title]);
  return (
    <Group justify="space-between" align="flex-start" mb="md" gap="sm">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {props.title}
        </Title>
        {props.description ? (
          <Text c="dimmed" size="sm">
            {props.description}
          </Text>
        ) : null}
      </Stack>
      <Group gap="xs">
        {props.actions}
        <Button variant="default" leftSection={<IconHelpCircle size={16} aria-hidden />} onClick={open}>
          {t('help')}
        </Button>
      </Group>
      <HelpPanel ns={props.helpNs} opened={opened} onClose={close} />
    </Group>
  );
}
