import type { ColumnType } from 'kysely';

/** A saved selection: a named filter (see selections.schema.ts); the filter is jsonb, read as text. */
export type SelectionTable = {
  id: ColumnType<string, string | undefined, never>;
  tenantId: ColumnType<string, string, never>;
  /** citext: unique per tenant regardless of case. */
  name: string;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * jsonb: written as JSON text, read as text (`filter::text`) and parsed with the filter schema
   * — read as a value, the CamelCasePlugin would rename keys inside it.
   */
  filter: ColumnType<unknown, string, string>;
  /** general | marketing (a marketing selection's filter is compiled with the suppressions). */
  purpose: ColumnType<'general' | 'marketing', 'general' | 'marketing' | undefined, 'general' | 'marketing'>;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type SelectionTables = { selection: SelectionTable };
