import { createTheme } from '@mantine/core';

// System font stacks only (Mantine's default): no web fonts are fetched from anywhere.
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
});
