import { Drawer, Stack, Text, useDirection } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The screen's guide (`help.title`, `help.body` paragraphs of its namespace) in a drawer at the reading end. */
export function HelpPanel({ ns, opened, onClose }: { ns: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation(ns);
  const { dir } = useDirection();
  const body = t('help.body', { returnObjects: true }) as unknown;
  const paragraphs = Array.isArray(body) ? (body as string[]) : [String(body)];
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position={dir === 'rtl' ? 'left' : 'right'}
      title={t('help.title')}
      size="md"
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack gap="sm">
        {paragraphs.map((text) => (
          <Text key={text} size="sm" lh={1.6}>
            {text}
          </Text>
        ))}
      </Stack>
    </Drawer>
  );
}
