import type { ErrorDetail } from '../../kernel/errors.ts';
import { type CustomFieldDefinition, type PreparedContact, prepareContactRow } from '../contacts/index.ts';
import type { SheetRow } from './imports.file.ts';
import { columnOfError, type ImportSettings, planRows, type RowPlan, rowBody } from './imports.mapping.ts';

/** One data row of the file, with whether it holds values beyond the last column. */
export type DataRow = SheetRow & { overflow: boolean };

export type StoredRowError = { path: string; column: string | null; message: string };

/** A row checked: ready to import, or failed with each error by field (and its column). */
export type RowOutcome =
  | { kind: 'prepared'; row: PreparedContact; cells: string[] }
  | { kind: 'failed'; rowNumber: number; cells: string[]; errors: StoredRowError[] };

/** What checking rows needs; plain data, so that a worker thread can be given it. */
export type CheckSetup = {
  columns: readonly string[];
  settings: ImportSettings;
  definitions: readonly CustomFieldDefinition[];
};

const PHONE_FIELDS = new Set(['phone', 'fax', 'mobile']);

/** Checks rows by the mapping, then by the contact rules (pure; any thread). */
export function rowChecker(setup: CheckSetup): (rows: readonly DataRow[]) => RowOutcome[] {
  const plan = planRows(setup.columns, setup.settings, setup.definitions);
  return (rows) => rows.map((row) => checkRow(plan, setup.definitions, row));
}

function checkRow(plan: RowPlan, definitions: readonly CustomFieldDefinition[], data: DataRow): RowOutcome {
  const { body, errors } = rowBody(plan, data.cells);
  const prepared = prepareContactRow(data.rowNumber, body, definitions);
  // A national phone number of a row whose country is not known cannot be judged: only the
  // country is reported.
  const countryUnknown = errors.some((e) => e.path === 'country');
  const judged = (e: ErrorDetail) =>
    !(countryUnknown && PHONE_FIELDS.has(e.path) && !/^\s*(\+|00)/.test(String(body[e.path] ?? '')));
  const all: ErrorDetail[] = [...errors, ...(prepared.ok ? [] : prepared.errors.filter(judged))];
  if (data.overflow) {
    all.unshift({
      path: 'row',
      message: 'has more values than the header has columns (a delimiter inside a value without quotes?)',
    });
  }
  if (all.length === 0 && prepared.ok) return { kind: 'prepared', row: prepared.row, cells: data.cells };
  return {
    kind: 'failed',
    rowNumber: data.rowNumber,
    cells: data.cells,
    errors: all.map((e) => ({
      path: e.path,
      column: columnOfError(plan, e.path) ?? null,
      message: e.message,
    })),
  };
}
