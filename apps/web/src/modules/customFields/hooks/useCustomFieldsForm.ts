import type { CustomFieldObjectType, FieldAccess } from '@kontor/contracts';
import { useMemo, useState } from 'react';
import { ApiError } from '../../../api/client.ts';
import type { CustomField } from '../api/customFields.ts';
import {
  type CustomInputValue,
  type CustomValues,
  changedCustomValues,
  customValuesToCreate,
  initialCustomValues,
  missingRequired,
  type StoredCustomFields,
} from '../values.ts';
import { useCustomFields } from './useCustomFields.ts';

/**
 * The custom-field part of a contact or company form: the definitions, the values, and the
 * server's messages under `customFields.<key>`. Only fields whose data category the user sees
 * in full are editable; the values are set up once the definitions have arrived.
 */
export function useCustomFieldsForm(
  objectType: CustomFieldObjectType,
  access: FieldAccess,
  stored: StoredCustomFields,
) {
  const definitions = useCustomFields(objectType);
  const defs: readonly CustomField[] = definitions.data ?? [];
  const initial = useMemo(() => initialCustomValues(defs, stored), [defs, stored]);
  const [edited, setEdited] = useState<CustomValues>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState(false);
  const values: CustomValues = { ...initial, ...edited };
  const maskedWhole = typeof stored === 'string';
  const editable = maskedWhole ? [] : defs.filter((def) => access[def.dataCategory] === 'full');
  const missing = new Set(missingRequired(editable, values));

  return {
    defs,
    definitions,
    values,
    editable,
    stored,
    setValue(key: string, value: CustomInputValue) {
      setEdited((current) => ({ ...current, [key]: value }));
      setServerErrors((current) => {
        if (!(key in current)) return current;
        const { [key]: _cleared, ...rest } = current;
        return rest;
      });
    },
    errorOf(key: string): string | undefined {
      return serverErrors[key] ?? (submitted && missing.has(key) ? 'required' : undefined);
    },
    /** Marks the form submitted; answers whether the required fields are filled. */
    check(): boolean {
      setSubmitted(true);
      return missing.size === 0;
    },
    toCreate: () => customValuesToCreate(editable, values),
    changes: () => changedCustomValues(editable, initial, values),
    /** Takes `customFields.<key>` messages of a failed save; answers whether there were any. */
    takeServerErrors(error: unknown): boolean {
      if (!(error instanceof ApiError)) {
        setServerErrors({});
        return false;
      }
      const byKey: Record<string, string> = {};
      for (const { path, message } of error.errors) {
        const match = /^(?:body\.)?customFields\.([^.]+)/.exec(path);
        if (match?.[1]) byKey[match[1]] ??= message;
      }
      setServerErrors(byKey);
      return Object.keys(byKey).length > 0;
    },
  };
}

export type CustomFieldsForm = ReturnType<typeof useCustomFieldsForm>;
