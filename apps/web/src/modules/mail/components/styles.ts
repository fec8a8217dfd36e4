/** Monospace for what is typed (names, templates, keys), not for the input's label. */
export const monospaceInput = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } as const;
