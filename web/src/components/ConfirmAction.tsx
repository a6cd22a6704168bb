import { Button, type ButtonProps, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A button that asks before doing something that is hard to undo. */
export function ConfirmAction(
  props: {
    label: ReactNode;
    title: ReactNode;
    message: ReactNode;
    confirmLabel: ReactNode;
    onConfirm: () => unknown;
    loading?: boolean;
  } & Omit<ButtonProps, 'children'>,
) {
  const { label, title, message, confirmLabel, onConfirm, loading, ...button } = props;
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button {...button} onClick={open} loading={loading}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered closeButtonProps={{ 'aria-label': t('close') }}>
        <Text size="sm" mb="lg">
          {message}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('cancel')}
          </Button>
          <Button
            color={button.color}
            onClick={async () => {
              close();
              await onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
