import type { FieldAccess } from '@kontor/contracts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import type { FieldDef, FieldKey } from '../fields.ts';
import {
  type ClientIssue,
  checkValues,
  editableDefs,
  type FormValues,
  initialValues,
  serverFieldErrors,
} from '../form.ts';

/** Fields whose server rules have a message of their own in every UI language. */
const ruleFields = [
  'email',
  'phone',
  'mobile',
  'fax',
  'website',
  'birthday',
  'iban',
  'bic',
  'vatId',
  'country',
  'language',
  'paymentMethod',
] as const;
type RuleField = (typeof ruleFields)[number];
const isRuleField = (key: string): key is RuleField => (ruleFields as readonly string[]).includes(key);

export type RecordFormOptions<K extends FieldKey> = {
  required?: readonly K[];
  /** The contact rule: a new person needs a name, an email, a phone number or a company. */
  identify?: { companyId: string | null } | undefined;
};

/**
 * State of a contact or company form: the values, which fields were left (their checks show
 * then, and all of them after a first submit), and the server's messages per field from its
 * last 400 answer — each cleared as soon as that field is changed.
 */
export function useRecordForm<K extends FieldKey>(
  defs: readonly FieldDef<K>[],
  access: FieldAccess,
  record: { readonly [P in K]: string | null } | undefined,
  options: RecordFormOptions<K> = {},
) {
  const { t } = useTranslation();
  const [initial] = useState(() => initialValues(defs, record));
  const [values, setValues] = useState<FormValues<K>>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});

  const editable = useMemo(() => editableDefs(defs, access), [defs, access]);
  const issues = checkValues(editable, values, options);
  const maxOf = new Map(defs.map((def) => [def.key as string, def.max]));

  const clientMessage = (key: string, issue: ClientIssue) =>
    t(`contacts.form.invalid.${issue}`, { max: maxOf.get(key) ?? 0 });

  const serverMessage = (key: string): string | undefined => {
    const message = serverErrors[key];
    if (message === undefined) return undefined;
    return isRuleField(key) ? t(`contacts.form.server.${key}`) : message;
  };

  return {
    initial,
    values,
    editable,
    setValue(key: K, value: string) {
      setValues((current) => ({ ...current, [key]: value }));
      clearServerError(key);
    },
    touch(key: string) {
      setTouched((current) => (current.has(key) ? current : new Set(current).add(key)));
    },
    /** The message to show under a field: the server's (it checked last) or the client's check. */
    errorOf(key: string): string | undefined {
      const issue = (issues as Record<string, ClientIssue | undefined>)[key];
      const client = issue && (submitted || touched.has(key)) ? clientMessage(key, issue) : undefined;
      return serverMessage(key) ?? client;
    },
    clearServerError,
    /** Marks the form submitted; answers whether the client-side checks pass. */
    check(): boolean {
      setSubmitted(true);
      return Object.keys(issues).length === 0;
    },
    /**
     * Takes a failed save's field messages onto the fields. Answers the messages about fields
     * this form does not show (so that the page can still say what is wrong).
     */
    takeServerErrors(error: unknown, shownFields: ReadonlySet<string>): string[] {
      if (!(error instanceof ApiError) || error.errors.length === 0) {
        setServerErrors({});
        return [];
      }
      const byField = serverFieldErrors(error.errors);
      setServerErrors(byField);
      return Object.entries(byField)
        .filter(([field]) => !shownFields.has(field))
        .map(([field, message]) => `${field}: ${message}`);
    },
  };

  function clearServerError(key: string) {
    setServerErrors((current) => {
      if (!(key in current)) return current;
      const { [key]: _cleared, ...rest } = current;
      return rest;
    });
  }
}

export type RecordForm<K extends FieldKey> = ReturnType<typeof useRecordForm<K>>;
