import { Alert, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { usePreview } from '../../api/articles.js';
import { useRegions } from '../../api/regions.js';

/**
 * The article as the site will show it: the server renders the Markdown with the site's own renderer and fills
 * price placeholders for the chosen region. Debounced, so typing does not send a request per key. The HTML comes
 * from the server's sanitiser (the same one the public pages use).
 */
export function MarkdownPreview(props: {
  markdown: string;
  locale: string;
  dir: 'ltr' | 'rtl';
  region: string | null;
  onRegionChange: (region: string | null) => void;
}) {
  const { t } = useTranslation('editor');
  const regions = useRegions();
  const [markdown] = useDebouncedValue(props.markdown, 400);
  const preview = usePreview(
    markdown.trim() ? { markdown, locale: props.locale, ...(props.region ? { region: props.region } : {}) } : null,
  );
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('preview.region')}
          description={t('preview.regionHint')}
          data={(regions.data?.regions ?? []).map((r) => ({ value: r.code, label: `${r.name} (${r.currency})` }))}
          value={props.region}
          onChange={props.onRegionChange}
          placeholder={t('preview.defaultRegion')}
          clearable
          size="xs"
          w={220}
        />
        {preview.isFetching ? <Loader size="xs" aria-label={t('preview.updating')} /> : null}
      </Group>
      {preview.error ? (
        <Alert color="red" role="alert">
          {preview.error.message}
        </Alert>
      ) : null}
      {markdown.trim() ? (
        <section
          className="al-preview"
          lang={props.locale}
          dir={props.dir}
          data-testid="preview"
          aria-label={t('preview.title')}
          // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server's renderer, as on the site
          dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }}
        />
      ) : (
        <Text className="al-preview" c="dimmed" size="sm">
          {t('preview.empty')}
        </Text>
      )}
    </Stack>
  );
}
