import type { CustomFieldType } from '@kontor/contracts';

/**
 * The filter builder's model and its translation to and from the server's filter language
 * (`selections.schema.ts` on the server): a root group (all/any) of leaves and sub-groups. The
 * operators per field type mirror the server's `OPS_BY_TYPE`; the server checks them again.
 */

export type FieldType =
  | 'text'
  | 'caseless'
  | 'customText'
  | 'longText'
  | 'code'
  | 'phone'
  | 'country'
  | 'select'
  | 'multiSelect'
  | 'date'
  | 'timestamp'
  | 'number'
  | 'boolean';

export type FieldOp =
  | 'eq'
  | 'neq'
  | 'contains'
  | 'startsWith'
  | 'in'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'before'
  | 'after'
  | 'between'
  | 'withinLast'
  | 'inMonth'
  | 'hasAny'
  | 'hasAll'
  | 'hasNone'
  | 'isEmpty'
  | 'isNotEmpty';

const PRESENCE = ['isEmpty', 'isNotEmpty'] as const;
const TEXT_OPS = ['eq', 'neq', 'contains', 'startsWith', 'in', ...PRESENCE] as const;
const ORDERED = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in'] as const;

export const OPS_BY_TYPE: Record<FieldType, readonly FieldOp[]> = {
  text: TEXT_OPS,
  caseless: TEXT_OPS,
  customText: TEXT_OPS,
  longText: ['contains', ...PRESENCE],
  code: TEXT_OPS,
  phone: ['eq', 'neq', 'contains', 'startsWith', ...PRESENCE],
  country: ['eq', 'neq', 'in', ...PRESENCE],
  select: ['eq', 'neq', 'in', ...PRESENCE],
  multiSelect: ['hasAny', 'hasAll', 'hasNone', ...PRESENCE],
  date: [...ORDERED, 'before', 'after', 'withinLast', 'inMonth', ...PRESENCE],
  timestamp: ['eq', 'lt', 'lte', 'gt', 'gte', 'before', 'after', 'between', 'withinLast'],
  number: [...ORDERED, ...PRESENCE],
  boolean: ['eq', ...PRESENCE],
};

/** The standard contact fields a filter can name, with their filter type (as the server's catalog). */
export const STANDARD_FIELD_TYPES = {
  salutation: 'text',
  firstName: 'text',
  lastName: 'text',
  street: 'text',
  addressLine1: 'text',
  addressLine2: 'text',
  postalCode: 'code',
  city: 'text',
  region: 'text',
  country: 'country',
  email: 'caseless',
  language: 'caseless',
  phone: 'phone',
  fax: 'phone',
  mobile: 'phone',
  website: 'caseless',
  birthday: 'date',
  iban: 'code',
  bic: 'code',
  paymentMethod: 'select',
  accountHolder: 'text',
  vatId: 'code',
  notes: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
} as const satisfies Record<string, FieldType>;
export type StandardField = keyof typeof STANDARD_FIELD_TYPES;

export const CUSTOM_FILTER_TYPES: Record<CustomFieldType, FieldType> = {
  text: 'customText',
  url: 'customText',
  email: 'customText',
  long_text: 'longText',
  number: 'number',
  decimal: 'number',
  date: 'date',
  boolean: 'boolean',
  single_select: 'select',
  multi_select: 'multiSelect',
};

export const isPresenceOp = (op: FieldOp) => op === 'isEmpty' || op === 'isNotEmpty';
export const isListOp = (op: FieldOp) =>
  op === 'in' || op === 'hasAny' || op === 'hasAll' || op === 'hasNone';

/** A leaf's value as the inputs hold it: one text, two (between) or a list. */
export type LeafValue = { one: string; two: string; list: string[] };
export const emptyValue = (): LeafValue => ({ one: '', two: '', list: [] });

export type TagMode = 'hasAll' | 'hasAny' | 'hasNone';
export type CompanyMode = 'exists' | 'missing' | 'id';

/** The consent leaf (consent module): a question's current answer for the contact. */
export const CONSENT_LEAF_STATES = ['granted', 'refused', 'prohibited', 'none'] as const;
export type ConsentLeafState = (typeof CONSENT_LEAF_STATES)[number];
/** The newsletter leaf (consent module): the contact's subscription to a newsletter. */
export const NEWSLETTER_LEAF_STATUSES = ['subscribed', 'pending', 'unsubscribed', 'none'] as const;
export type NewsletterLeafStatus = (typeof NEWSLETTER_LEAF_STATUSES)[number];

/** What a saved selection is for: a marketing selection never holds a contact with a prohibition. */
export const SELECTION_PURPOSES = ['general', 'marketing'] as const;
export type SelectionPurpose = (typeof SELECTION_PURPOSES)[number];

export type BuilderNode =
  | { kind: 'group'; id: number; mode: 'all' | 'any'; negate: boolean; children: BuilderNode[] }
  | { kind: 'field'; id: number; field: string; op: FieldOp; value: LeafValue; negate: boolean }
  | { kind: 'tag'; id: number; mode: TagMode; names: string[]; negate: boolean }
  | {
      kind: 'company';
      id: number;
      mode: CompanyMode;
      companyId: string | null;
      companyName: string;
      negate: boolean;
    }
  | { kind: 'consent'; id: number; question: string; state: ConsentLeafState; negate: boolean }
  | { kind: 'newsletter'; id: number; newsletterId: string; status: NewsletterLeafStatus; negate: boolean };
export type BuilderGroup = Extract<BuilderNode, { kind: 'group' }>;

let nextId = 1;
export const newId = () => nextId++;

export const emptyRoot = (): BuilderGroup => ({
  kind: 'group',
  id: newId(),
  mode: 'all',
  negate: false,
  children: [],
});

function fieldValueJson(type: FieldType | undefined, op: FieldOp, value: LeafValue): unknown {
  const scalar = (text: string): unknown => {
    const trimmed = text.trim();
    if (type === 'number' || op === 'withinLast' || op === 'inMonth') {
      const n = Number(trimmed);
      return trimmed !== '' && Number.isFinite(n) ? n : trimmed;
    }
    if (type === 'boolean') return trimmed === 'true';
    return trimmed;
  };
  if (isPresenceOp(op)) return undefined;
  if (isListOp(op)) return value.list.map(scalar);
  if (op === 'between') return [scalar(value.one), scalar(value.two)];
  return scalar(value.one);
}

/** The server's JSON of a builder node (the type of each field decides how values are sent). */
export function toJson(
  node: BuilderNode,
  typeOf: (field: string) => FieldType | undefined,
): Record<string, unknown> {
  let json: Record<string, unknown>;
  switch (node.kind) {
    case 'group':
      json =
        node.mode === 'any' && node.children.length === 0
          ? { all: [] }
          : { [node.mode]: node.children.map((child) => toJson(child, typeOf)) };
      break;
    case 'field': {
      const value = fieldValueJson(typeOf(node.field), node.op, node.value);
      json = { field: node.field, op: node.op, ...(value === undefined ? {} : { value }) };
      break;
    }
    case 'tag':
      json = { tag: { [node.mode]: node.names } };
      break;
    case 'company':
      json = {
        company: node.mode === 'id' ? { id: node.companyId ?? '' } : { exists: node.mode === 'exists' },
      };
      break;
    case 'consent':
      json = { consent: node.question, state: node.state };
      break;
    case 'newsletter':
      json = { newsletter: node.newsletterId, status: node.status };
      break;
  }
  return node.negate ? { not: json } : json;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const asText = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** A saved filter back into the builder; answers null for shapes the builder cannot show. */
export function fromJson(json: unknown, negate = false): BuilderNode | null {
  if (!isObject(json)) return null;
  if (isObject(json.not)) return fromJson(json.not, !negate);
  for (const mode of ['all', 'any'] as const) {
    const children = json[mode];
    if (Array.isArray(children)) {
      const nodes = children.map((child) => fromJson(child));
      if (nodes.some((n) => n === null)) return null;
      return { kind: 'group', id: newId(), mode, negate, children: nodes as BuilderNode[] };
    }
  }
  if (typeof json.field === 'string' && typeof json.op === 'string') {
    const value = emptyValue();
    if (Array.isArray(json.value)) {
      if (json.op === 'between') {
        value.one = asText(json.value[0]);
        value.two = asText(json.value[1]);
      } else value.list = json.value.map(asText);
    } else value.one = asText(json.value);
    return { kind: 'field', id: newId(), field: json.field, op: json.op as FieldOp, value, negate };
  }
  if (isObject(json.tag)) {
    for (const mode of ['hasAll', 'hasAny', 'hasNone'] as const) {
      const names = json.tag[mode];
      if (Array.isArray(names)) return { kind: 'tag', id: newId(), mode, names: names.map(asText), negate };
    }
  }
  if (typeof json.consent === 'string') {
    const state = CONSENT_LEAF_STATES.find((candidate) => candidate === json.state);
    if (state) return { kind: 'consent', id: newId(), question: json.consent, state, negate };
  }
  if (typeof json.newsletter === 'string') {
    const status = NEWSLETTER_LEAF_STATUSES.find((candidate) => candidate === json.status);
    if (status) return { kind: 'newsletter', id: newId(), newsletterId: json.newsletter, status, negate };
  }
  if (isObject(json.company)) {
    const company = json.company;
    if (typeof company.id === 'string') {
      return { kind: 'company', id: newId(), mode: 'id', companyId: company.id, companyName: '', negate };
    }
    if (typeof company.exists === 'boolean') {
      return {
        kind: 'company',
        id: newId(),
        mode: company.exists ? 'exists' : 'missing',
        companyId: null,
        companyName: '',
        negate,
      };
    }
  }
  return null;
}

/** A root that is a leaf (a saved `{ field … }`) is shown inside an "all" group. */
export function rootFromJson(json: unknown): BuilderGroup | null {
  const node = fromJson(json);
  if (node === null) return null;
  if (node.kind === 'group' && !node.negate) return node;
  return { kind: 'group', id: newId(), mode: 'all', negate: false, children: [node] };
}

/** Replaces the node with `id` anywhere in the tree (or removes it when `next` is null). */
export function replaceNode(group: BuilderGroup, id: number, next: BuilderNode | null): BuilderGroup {
  const children: BuilderNode[] = [];
  for (const child of group.children) {
    if (child.id === id) {
      if (next) children.push(next);
    } else if (child.kind === 'group') children.push(replaceNode(child, id, next));
    else children.push(child);
  }
  return { ...group, children };
}

/** Whether every leaf has what it needs (a value, a tag name, a company) to be asked about. */
export function isComplete(node: BuilderNode): boolean {
  switch (node.kind) {
    case 'group':
      return node.children.every(isComplete);
    case 'tag':
      return node.names.length > 0;
    case 'company':
      return node.mode !== 'id' || node.companyId !== null;
    case 'consent':
      return node.question.trim() !== '';
    case 'newsletter':
      return node.newsletterId !== '';
    case 'field':
      if (isPresenceOp(node.op)) return true;
      if (isListOp(node.op)) return node.value.list.length > 0;
      if (node.op === 'between') return node.value.one.trim() !== '' && node.value.two.trim() !== '';
      return node.value.one.trim() !== '';
  }
}
