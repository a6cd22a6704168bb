import { createTheme } from '@mantine/core';

/**
 * The admin theme. Its colours are also written as CSS variables in styles/admin.css (the app renders no runtime
 * variables, for the CSP): change both together.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans JP", system-ui, sans-serif',
  headings: {
    fontFamily: '"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans JP", system-ui, sans-serif',
  },
  defaultRadius: 'md',
});
