import { notifications } from '@mantine/notifications';
import i18next from 'i18next';

/** A toast with a named close button (axe: button-name), green for done, red for failed. */
export function notify(kind: 'success' | 'error', message: string, title?: string): void {
  notifications.show({
    color: kind === 'success' ? 'green' : 'red',
    message,
    title,
    closeButtonProps: { 'aria-label': i18next.t('common:close') },
  });
}
