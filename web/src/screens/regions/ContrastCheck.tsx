import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CONTRAST_THRESHOLDS, contrastOfHex } from '../../../../src/shared/contrast.js';
import { format } from '../../i18n.js';
import { type RegionTheme, SITE_TEXT_COLOR } from './api.js';

/** Verdict text colours dark enough for AA on white and on the light badge backgrounds (5.7:1 or more). */
const VERDICT_TEXT = { pass: '#1e6b2f', fail: '#a61e1e', large: '#7a5b00' } as const;

interface Pair {
  key: 'bodyText' | 'links' | 'onBrand' | 'accent';
  foreground: string;
  background: string;
  /** Text needs 4.5:1 (WCAG 1.4.3); the focus ring is a non-text indicator and needs 3:1 (1.4.11). */
  min: number;
}

/** The colour pairs the public site draws with a theme (see site.css), each measured against its WCAG AA minimum. */
export function themePairs(theme: RegionTheme): Pair[] {
  return [
    { key: 'bodyText', foreground: SITE_TEXT_COLOR, background: theme.surface, min: CONTRAST_THRESHOLDS.aaNormal },
    { key: 'links', foreground: theme.brand, background: theme.surface, min: CONTRAST_THRESHOLDS.aaNormal },
    { key: 'onBrand', foreground: theme.brandContrast, background: theme.brand, min: CONTRAST_THRESHOLDS.aaNormal },
    { key: 'accent', foreground: theme.accent, background: theme.surface, min: CONTRAST_THRESHOLDS.aaLarge },
  ];
}

/** True when every pair of the theme meets its minimum (and every colour is valid). */
export function themePasses(theme: RegionTheme): boolean {
  return themePairs(theme).every((pair) => (contrastOfHex(pair.foreground, pair.background)?.ratio ?? 0) >= pair.min);
}

/** The live contrast check beside a region's colour inputs: a sample, the ratio and an AA pass/fail badge per pair. */
export function ContrastCheck({ theme }: { theme: RegionTheme }) {
  const { t } = useTranslation('regions');
  const pairs = themePairs(theme);
  const allPass = themePasses(theme);
  return (
    <Paper withBorder radius="md" p="sm" data-testid="contrast-check">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} component="h3" size="sm" m={0}>
            {t('contrast.title')}
          </Text>
          <Text
            size="xs"
            fw={600}
            style={{ color: allPass ? VERDICT_TEXT.pass : VERDICT_TEXT.fail }}
            aria-live="polite"
          >
            {allPass ? t('contrast.allPass') : t('contrast.someFail')}
          </Text>
        </Group>
        <Table verticalSpacing={4} withRowBorders={false}>
          <Table.Tbody>
            {pairs.map((pair) => {
              const verdict = contrastOfHex(pair.foreground, pair.background);
              const ratio = verdict ? Math.floor(verdict.ratio * 100) / 100 : null;
              const pass = verdict !== null && verdict.ratio >= pair.min;
              const largeOnly = !pass && pair.min > CONTRAST_THRESHOLDS.aaLarge && verdict?.aaLarge;
              return (
                <Table.Tr key={pair.key} data-pair={pair.key} data-pass={pass ? 'true' : 'false'}>
                  <Table.Td w={52}>
                    {/* React sets these colours through the CSSOM, which the page's CSP allows. The accent is drawn
                        as what it is on the site, a focus ring, not as text. */}
                    {pair.key === 'accent' ? (
                      <span
                        style={{
                          display: 'inline-block',
                          width: 34,
                          height: 22,
                          borderRadius: 6,
                          background: verdict ? pair.background : undefined,
                          outline: verdict ? `3px solid ${pair.foreground}` : undefined,
                          outlineOffset: -3,
                        }}
                        aria-hidden
                      />
                    ) : (
                      <span
                        style={{
                          display: 'inline-block',
                          padding: '2px 8px',
                          borderRadius: 6,
                          border: '1px solid var(--mantine-color-gray-3)',
                          color: verdict ? pair.foreground : undefined,
                          background: verdict ? pair.background : undefined,
                          fontWeight: 600,
                        }}
                        aria-hidden
                      >
                        Aa
                      </span>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`contrast.${pair.key}`)}</Text>
                  </Table.Td>
                  <Table.Td ta="end" style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" fw={600} data-testid={`ratio-${pair.key}`} dir="ltr" component="span">
                      {ratio === null ? '—' : t('contrast.ratio', { ratio: format.number(ratio) })}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 110 }}>
                    <Badge
                      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                      color={pass ? 'green' : largeOnly ? 'yellow' : 'red'}
                      variant="light"
                      radius="sm"
                      tt="none"
                      leftSection={pass ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}
                      title={t('contrast.needs', { min: format.number(pair.min) })}
                      style={{ color: VERDICT_TEXT[pass ? 'pass' : largeOnly ? 'large' : 'fail'] }}
                    >
                      {pass ? t('contrast.pass') : t('contrast.fail')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
