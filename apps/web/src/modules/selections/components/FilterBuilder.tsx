import {
  ActionIcon,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useHasRight } from '../../auth/index.ts';
import { pickText, useQuestionChoices } from '../../consent/index.ts';
import { CompanySelect, useCountryOptions, useTags } from '../../contacts/index.ts';
import { type CustomField, fieldLabelIn, optionLabelIn } from '../../customFields/index.ts';
import { newsletterTitle, useNewsletterChoices } from '../../newsletters/index.ts';
import {
  type BuilderGroup,
  type BuilderNode,
  CONSENT_LEAF_STATES,
  type CompanyMode,
  type ConsentLeafState,
  emptyValue,
  type FieldOp,
  type FieldType,
  isListOp,
  isPresenceOp,
  NEWSLETTER_LEAF_STATUSES,
  type NewsletterLeafStatus,
  newId,
  OPS_BY_TYPE,
  replaceNode,
  STANDARD_FIELD_TYPES,
  type TagMode,
} from '../filter.ts';

export type FieldChoice = {
  name: string;
  label: string;
  type: FieldType;
  options?: { value: string; label: string }[];
};

const paymentMethods = ['invoice', 'sepa_direct_debit', 'card', 'cash', 'bank_transfer', 'other'] as const;

/** Every field a filter can name here: the standard contact fields and the custom fields. */
export function useFieldChoices(customFields: readonly CustomField[]): FieldChoice[] {
  const { t, i18n } = useTranslation();
  const countries = useCountryOptions();
  const countryOptions = countries.flatMap((group) => group.items);
  const standard = (Object.keys(STANDARD_FIELD_TYPES) as (keyof typeof STANDARD_FIELD_TYPES)[]).map(
    (name): FieldChoice => ({
      name,
      label:
        name === 'createdAt' || name === 'updatedAt'
          ? t(`selections.fields.${name}`)
          : t(`contacts.fields.${name}`),
      type: STANDARD_FIELD_TYPES[name],
      ...(name === 'paymentMethod'
        ? { options: paymentMethods.map((m) => ({ value: m, label: t(`contacts.paymentMethods.${m}`) })) }
        : name === 'country'
          ? { options: countryOptions }
          : {}),
    }),
  );
  const custom = customFields.map(
    (def): FieldChoice => ({
      name: `customFields.${def.key}`,
      label: fieldLabelIn(def, i18n.language),
      type:
        def.type === 'single_select'
          ? 'select'
          : def.type === 'multi_select'
            ? 'multiSelect'
            : def.type === 'long_text'
              ? 'longText'
              : def.type === 'boolean'
                ? 'boolean'
                : def.type === 'date'
                  ? 'date'
                  : def.type === 'number' || def.type === 'decimal'
                    ? 'number'
                    : 'customText',
      ...(def.options.length > 0
        ? {
            options: def.options.map((o) => ({
              value: o.value,
              label: optionLabelIn(def, o.value, i18n.language),
            })),
          }
        : {}),
    }),
  );
  return [...standard, ...custom];
}

type Ctx = {
  fields: FieldChoice[];
  errorsAt: (path: string) => string[];
  update: (id: number, next: BuilderNode | null) => void;
};

/** Path of a node in the filter JSON as the server names it in its errors (`filter.all.1`). */
const childPath = (path: string, group: BuilderGroup, index: number, child: BuilderNode) =>
  `${path}${group.negate ? '.not' : ''}.${group.mode}.${index}${child.negate ? '.not' : ''}`;

/** The filter tree: the root group with its leaves and sub-groups. */
export function FilterBuilder({
  root,
  onChange,
  fields,
  errorsAt,
}: {
  root: BuilderGroup;
  onChange: (root: BuilderGroup) => void;
  fields: FieldChoice[];
  errorsAt: (path: string) => string[];
}) {
  const ctx: Ctx = {
    fields,
    errorsAt,
    update: (id, next) =>
      onChange(id === root.id && next?.kind === 'group' ? next : replaceNode(root, id, next)),
  };
  return <GroupEditor group={root} path="filter" ctx={ctx} isRoot />;
}

function GroupEditor({
  group,
  path,
  ctx,
  isRoot,
}: {
  group: BuilderGroup;
  path: string;
  ctx: Ctx;
  isRoot?: boolean;
}) {
  const { t } = useTranslation();
  const add = (child: BuilderNode) =>
    ctx.update(group.id, { ...group, children: [...group.children, child] });
  const firstField = ctx.fields[0];
  return (
    <Card withBorder radius="md" padding="sm" data-testid={isRoot ? 'filter-root' : 'filter-group'}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={group.mode}
              onChange={(mode) => ctx.update(group.id, { ...group, mode: mode === 'any' ? 'any' : 'all' })}
              data={[
                { value: 'all', label: t('selections.all') },
                { value: 'any', label: t('selections.any') },
              ]}
              data-testid="filter-mode"
            />
            <Text size="xs" c="dimmed">
              {group.mode === 'all' ? t('selections.allHint') : t('selections.anyHint')}
            </Text>
          </Group>
          {!isRoot && (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('selections.remove')}
              onClick={() => ctx.update(group.id, null)}
            >
              ×
            </ActionIcon>
          )}
        </Group>
        {group.children.map((child, index) => {
          const childAt = childPath(path, group, index, child);
          return child.kind === 'group' ? (
            <GroupEditor key={child.id} group={child} path={childAt} ctx={ctx} />
          ) : (
            <LeafEditor key={child.id} node={child} path={childAt} ctx={ctx} />
          );
        })}
        <Group gap="xs">
          {firstField && (
            <Button
              size="xs"
              variant="light"
              onClick={() =>
                add({
                  kind: 'field',
                  id: newId(),
                  field: firstField.name,
                  op: OPS_BY_TYPE[firstField.type][0] ?? 'eq',
                  value: emptyValue(),
                  negate: false,
                })
              }
              data-testid="filter-add-field"
            >
              {t('selections.addField')}
            </Button>
          )}
          <Button
            size="xs"
            variant="light"
            onClick={() => add({ kind: 'tag', id: newId(), mode: 'hasAll', names: [], negate: false })}
            data-testid="filter-add-tag"
          >
            {t('selections.addTag')}
          </Button>
          <Button
            size="xs"
            variant="light"
            onClick={() =>
              add({
                kind: 'company',
                id: newId(),
                mode: 'exists',
                companyId: null,
                companyName: '',
                negate: false,
              })
            }
            data-testid="filter-add-company"
          >
            {t('selections.addCompany')}
          </Button>
          <Button
            size="xs"
            variant="light"
            onClick={() =>
              add({ kind: 'consent', id: newId(), question: '', state: 'granted', negate: false })
            }
            data-testid="filter-add-consent"
          >
            {t('selections.addConsent')}
          </Button>
          <Button
            size="xs"
            variant="light"
            onClick={() =>
              add({ kind: 'newsletter', id: newId(), newsletterId: '', status: 'subscribed', negate: false })
            }
            data-testid="filter-add-newsletter"
          >
            {t('selections.addNewsletter')}
          </Button>
          {isRoot && (
            <Button
              size="xs"
              variant="subtle"
              onClick={() =>
                add({
                  kind: 'group',
                  id: newId(),
                  mode: group.mode === 'all' ? 'any' : 'all',
                  negate: false,
                  children: [],
                })
              }
              data-testid="filter-add-group"
            >
              {t('selections.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function LeafEditor({
  node,
  path,
  ctx,
}: {
  node: Exclude<BuilderNode, BuilderGroup>;
  path: string;
  ctx: Ctx;
}) {
  const { t } = useTranslation();
  const errors = ctx.errorsAt(path);
  return (
    <Stack gap={2} data-testid={`filter-leaf-${node.kind}`}>
      <Group gap="xs" align="flex-start" wrap="wrap">
        {node.kind === 'field' && <FieldLeaf node={node} ctx={ctx} />}
        {node.kind === 'tag' && <TagLeaf node={node} ctx={ctx} />}
        {node.kind === 'company' && <CompanyLeaf node={node} ctx={ctx} />}
        {node.kind === 'consent' && <ConsentLeaf node={node} ctx={ctx} />}
        {node.kind === 'newsletter' && <NewsletterLeaf node={node} ctx={ctx} />}
        <Switch
          mt={6}
          size="xs"
          label={t('selections.not')}
          checked={node.negate}
          onChange={(event) => ctx.update(node.id, { ...node, negate: event.currentTarget.checked })}
        />
        <ActionIcon
          mt={2}
          variant="subtle"
          color="red"
          aria-label={t('selections.remove')}
          onClick={() => ctx.update(node.id, null)}
        >
          ×
        </ActionIcon>
      </Group>
      {errors.map((message) => (
        <Text key={message} size="xs" c="red" role="alert">
          {message}
        </Text>
      ))}
    </Stack>
  );
}

const months = Array.from({ length: 12 }, (_, i) => String(i + 1));

function FieldLeaf({ node, ctx }: { node: Extract<BuilderNode, { kind: 'field' }>; ctx: Ctx }) {
  const { t, i18n } = useTranslation();
  const choice = ctx.fields.find((f) => f.name === node.field);
  const type = choice?.type ?? 'text';
  const ops = OPS_BY_TYPE[type];
  const set = (patch: Partial<typeof node>) => ctx.update(node.id, { ...node, ...patch });
  const setOne = (one: string) => set({ value: { ...node.value, one } });
  const inputType = type === 'date' || type === 'timestamp' ? 'date' : undefined;
  const monthName = (m: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long' }).format(new Date(2000, Number(m) - 1, 1));

  let valueInput: React.ReactNode = null;
  if (isPresenceOp(node.op)) valueInput = null;
  else if (isListOp(node.op)) {
    valueInput = choice?.options ? (
      <MultiSelect
        size="xs"
        data={choice.options}
        value={node.value.list}
        onChange={(list) => set({ value: { ...node.value, list } })}
        searchable
        aria-label={t('selections.value')}
        w={260}
        data-testid="filter-value-list"
      />
    ) : (
      <TagsInput
        size="xs"
        value={node.value.list}
        onChange={(list) => set({ value: { ...node.value, list } })}
        placeholder={t('selections.listHint')}
        aria-label={t('selections.value')}
        w={260}
        data-testid="filter-value-list"
      />
    );
  } else if (node.op === 'between') {
    valueInput = (
      <Group gap={4}>
        <TextInput
          size="xs"
          type={inputType}
          value={node.value.one}
          onChange={(e) => setOne(e.currentTarget.value)}
          aria-label={t('selections.from')}
          w={140}
        />
        <Text size="xs">–</Text>
        <TextInput
          size="xs"
          type={inputType}
          value={node.value.two}
          onChange={(e) => set({ value: { ...node.value, two: e.currentTarget.value } })}
          aria-label={t('selections.to')}
          w={140}
        />
      </Group>
    );
  } else if (node.op === 'withinLast') {
    valueInput = (
      <NumberInput
        size="xs"
        min={1}
        value={node.value.one}
        onChange={(v) => setOne(String(v))}
        suffix={` ${t('selections.days')}`}
        aria-label={t('selections.value')}
        w={140}
      />
    );
  } else if (node.op === 'inMonth') {
    valueInput = (
      <Select
        size="xs"
        data={months.map((m) => ({ value: m, label: monthName(m) }))}
        value={node.value.one || null}
        onChange={(v) => setOne(v ?? '')}
        aria-label={t('selections.value')}
        w={160}
      />
    );
  } else if (type === 'boolean') {
    valueInput = (
      <Select
        size="xs"
        data={[
          { value: 'true', label: t('contacts.detail.yes') },
          { value: 'false', label: t('contacts.detail.no') },
        ]}
        value={node.value.one || null}
        onChange={(v) => setOne(v ?? '')}
        aria-label={t('selections.value')}
        w={120}
        data-testid="filter-value"
      />
    );
  } else if (choice?.options) {
    valueInput = (
      <Select
        size="xs"
        data={choice.options}
        value={node.value.one || null}
        onChange={(v) => setOne(v ?? '')}
        searchable
        aria-label={t('selections.value')}
        w={220}
        data-testid="filter-value"
      />
    );
  } else {
    valueInput = (
      <TextInput
        size="xs"
        type={inputType}
        value={node.value.one}
        onChange={(e) => setOne(e.currentTarget.value)}
        aria-label={t('selections.value')}
        w={220}
        data-testid="filter-value"
      />
    );
  }

  return (
    <>
      <Select
        size="xs"
        data={ctx.fields.map((f) => ({ value: f.name, label: f.label }))}
        value={node.field}
        onChange={(field) => {
          if (!field) return;
          const nextType = ctx.fields.find((f) => f.name === field)?.type ?? 'text';
          const nextOps = OPS_BY_TYPE[nextType];
          set({ field, op: nextOps.includes(node.op) ? node.op : (nextOps[0] ?? 'eq'), value: emptyValue() });
        }}
        searchable
        allowDeselect={false}
        aria-label={t('selections.field')}
        w={200}
        data-testid="filter-field"
      />
      <Select
        size="xs"
        data={ops.map((op) => ({ value: op, label: t(`selections.ops.${op}`) }))}
        value={node.op}
        onChange={(op) => op && set({ op: op as FieldOp })}
        allowDeselect={false}
        aria-label={t('selections.op')}
        w={170}
        data-testid="filter-op"
      />
      {valueInput}
    </>
  );
}

function TagLeaf({ node, ctx }: { node: Extract<BuilderNode, { kind: 'tag' }>; ctx: Ctx }) {
  const { t } = useTranslation();
  const tags = useTags();
  return (
    <>
      <Select
        size="xs"
        data={(['hasAll', 'hasAny', 'hasNone'] as const).map((mode) => ({
          value: mode,
          label: t(`selections.tagModes.${mode}`),
        }))}
        value={node.mode}
        onChange={(mode) => mode && ctx.update(node.id, { ...node, mode: mode as TagMode })}
        allowDeselect={false}
        aria-label={t('selections.op')}
        w={200}
      />
      <TagsInput
        size="xs"
        data={(tags.data ?? []).map((tag) => tag.name)}
        value={node.names}
        onChange={(names) => ctx.update(node.id, { ...node, names })}
        placeholder={t('selections.tagsPlaceholder')}
        aria-label={t('contacts.groups.tags')}
        w={280}
        data-testid="filter-tags"
      />
    </>
  );
}

function CompanyLeaf({ node, ctx }: { node: Extract<BuilderNode, { kind: 'company' }>; ctx: Ctx }) {
  const { t } = useTranslation();
  return (
    <>
      <Select
        size="xs"
        data={(['exists', 'missing', 'id'] as const).map((mode) => ({
          value: mode,
          label: t(`selections.companyModes.${mode}`),
        }))}
        value={node.mode}
        onChange={(mode) => mode && ctx.update(node.id, { ...node, mode: mode as CompanyMode })}
        allowDeselect={false}
        aria-label={t('selections.op')}
        w={200}
      />
      {node.mode === 'id' && (
        <CompanySelect
          value={node.companyId ? { id: node.companyId, name: node.companyName } : null}
          onChange={(company) =>
            ctx.update(node.id, { ...node, companyId: company?.id ?? null, companyName: company?.name ?? '' })
          }
          placeholder={t('contacts.list.companyFilterPlaceholder')}
          testId="filter-company"
        />
      )}
    </>
  );
}

function ConsentLeaf({ node, ctx }: { node: Extract<BuilderNode, { kind: 'consent' }>; ctx: Ctx }) {
  const { t, i18n } = useTranslation();
  const mayReadQuestions = useHasRight('privacy:read');
  const questions = useQuestionChoices(mayReadQuestions);
  const set = (patch: Partial<typeof node>) => ctx.update(node.id, { ...node, ...patch });
  // The leaf names a question by id or key; without the right to read questions, the key is typed.
  const known = questions.data?.some((q) => q.id === node.question || q.key === node.question) ?? false;
  return (
    <>
      {mayReadQuestions && (questions.data !== undefined || node.question === '') ? (
        <Select
          size="xs"
          data={[
            ...(questions.data ?? []).map((question) => ({
              value: question.id,
              label:
                pickText(
                  {
                    de: question.texts.de?.label,
                    en: question.texts.en?.label,
                    fr: question.texts.fr?.label,
                  },
                  i18n.language,
                ) || question.key,
            })),
            ...(node.question && !known ? [{ value: node.question, label: node.question }] : []),
          ]}
          value={
            questions.data?.find((q) => q.key === node.question)?.id ??
            (node.question === '' ? null : node.question)
          }
          onChange={(question) => question && set({ question })}
          searchable
          allowDeselect={false}
          placeholder={t('selections.consentQuestion')}
          aria-label={t('selections.consentQuestion')}
          w={280}
          data-testid="filter-consent-question"
        />
      ) : (
        <TextInput
          size="xs"
          value={node.question}
          onChange={(event) => set({ question: event.currentTarget.value })}
          placeholder={t('selections.consentQuestionKey')}
          aria-label={t('selections.consentQuestionKey')}
          w={220}
          data-testid="filter-consent-question"
        />
      )}
      <Select
        size="xs"
        data={CONSENT_LEAF_STATES.map((state) => ({
          value: state,
          label: t(`selections.consentStates.${state}`),
        }))}
        value={node.state}
        onChange={(state) => state && set({ state: state as ConsentLeafState })}
        allowDeselect={false}
        aria-label={t('selections.op')}
        w={200}
        data-testid="filter-consent-state"
      />
    </>
  );
}

function NewsletterLeaf({ node, ctx }: { node: Extract<BuilderNode, { kind: 'newsletter' }>; ctx: Ctx }) {
  const { t, i18n } = useTranslation();
  const newsletters = useNewsletterChoices(useHasRight('marketing:read'));
  const set = (patch: Partial<typeof node>) => ctx.update(node.id, { ...node, ...patch });
  const data = (newsletters.data ?? []).map((newsletter) => ({
    value: newsletter.id,
    label: newsletterTitle(newsletter, i18n.language),
  }));
  if (node.newsletterId && !data.some((option) => option.value === node.newsletterId)) {
    data.push({ value: node.newsletterId, label: node.newsletterId });
  }
  return (
    <>
      <Select
        size="xs"
        data={data}
        value={node.newsletterId || null}
        onChange={(newsletterId) => newsletterId && set({ newsletterId })}
        searchable
        allowDeselect={false}
        placeholder={t('selections.newsletter')}
        aria-label={t('selections.newsletter')}
        w={260}
        data-testid="filter-newsletter"
      />
      <Select
        size="xs"
        data={NEWSLETTER_LEAF_STATUSES.map((status) => ({
          value: status,
          label: t(`selections.newsletterStatuses.${status}`),
        }))}
        value={node.status}
        onChange={(status) => status && set({ status: status as NewsletterLeafStatus })}
        allowDeselect={false}
        aria-label={t('selections.op')}
        w={200}
        data-testid="filter-newsletter-status"
      />
    </>
  );
}
