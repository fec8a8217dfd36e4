import type { FieldAccess } from '@kontor/contracts';
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { useHasRight } from '../../auth/index.ts';
import { CustomFieldsView } from '../../customFields/index.ts';
import type { Contact, CustomFieldsValue } from '../api/contacts.ts';
import { contactFields } from '../fields.ts';
import { FieldGroups } from './FieldGroups.tsx';

/** Every standard field by data category, the company, the tags and the custom fields. */
export function ContactOverview({ contact, access }: { contact: Contact; access: FieldAccess }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const mayReadCompanies = useHasRight('companies:read');

  const company =
    contact.companyId === null ? (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    ) : mayReadCompanies ? (
      <Anchor component={Link} to={`/companies/${contact.companyId}`} size="sm">
        {contact.companyName ?? contact.companyId}
      </Anchor>
    ) : (
      <Text span size="sm">
        {contact.companyName}
      </Text>
    );

  return (
    <Stack gap="md" data-testid="contact-overview">
      <FieldGroups
        defs={contactFields}
        record={contact}
        access={access}
        extras={{
          identity: [{ label: t('contacts.fields.company'), value: company, testId: 'field-company' }],
        }}
      />
      <Card withBorder radius="md" padding="md">
        <Stack gap="sm">
          <Title order={2} size="h5">
            {t('contacts.groups.tags')}
          </Title>
          <TagList tags={contact.tags} />
        </Stack>
      </Card>
      <CustomFieldsCard objectType="contact" value={contact.customFields} access={access} />
      <Text size="xs" c="dimmed">
        {t('contacts.detail.timestamps', {
          created: formatDateTime(contact.createdAt),
          updated: formatDateTime(contact.updatedAt),
        })}
      </Text>
    </Stack>
  );
}

export function TagList({ tags }: { tags: readonly string[] }) {
  const { t } = useTranslation();
  if (tags.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('contacts.detail.noTags')}
      </Text>
    );
  }
  return (
    <Group gap={6}>
      {tags.map((tag) => (
        <Badge key={tag} variant="light" color="grape" tt="none">
          {tag}
        </Badge>
      ))}
    </Group>
  );
}

/** The record's custom fields by the tenant's definitions (labels, option labels, masks). */
export function CustomFieldsCard({
  objectType,
  value,
  access,
}: {
  objectType: 'contact' | 'company';
  value: CustomFieldsValue;
  access?: FieldAccess | undefined;
}) {
  return <CustomFieldsView objectType={objectType} value={value} access={access} />;
}
