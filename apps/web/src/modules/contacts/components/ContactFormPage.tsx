import type { FieldAccess } from '@kontor/contracts';
import { Button, Card, Group, Loader, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { CustomFieldInputs, useCustomFieldsForm } from '../../customFields/index.ts';
import type { Contact, ContactInput } from '../api/contacts.ts';
import { contactFields } from '../fields.ts';
import { changedValues, sameTags, valuesToCreate } from '../form.ts';
import { useContact, useCreateContact, useUpdateContact } from '../hooks/useContacts.ts';
import { useFieldAccess } from '../hooks/useFieldAccess.ts';
import { useRecordForm } from '../hooks/useRecordForm.ts';
import { contactName } from '../names.ts';
import { isUuid } from '../uuid.ts';
import { type CompanyChoice, CompanySelect } from './CompanySelect.tsx';
import { FormFieldGroups } from './FormFieldGroups.tsx';
import { FormProblem, focusFirstInvalid } from './FormProblem.tsx';
import { TagsField } from './TagsField.tsx';

/** `/contacts/new`: a new person; `?companyId=&companyName=` preselects their company. */
export function NewContactPage() {
  const { t } = useTranslation();
  usePageTitle(t('contacts.form.newTitle'));
  const access = useFieldAccess();
  const [params] = useSearchParams();
  const companyId = params.get('companyId');
  const company =
    companyId && isUuid(companyId) ? { id: companyId, name: params.get('companyName') ?? '' } : null;

  return (
    <Stack gap="lg" data-testid="contact-form-page">
      <Title order={1}>{t('contacts.form.newTitle')}</Title>
      {access.isPending ? (
        <Loader />
      ) : access.isError ? (
        <ErrorAlert error={access.error} />
      ) : (
        <ContactForm access={access.data} initialCompany={company} />
      )}
    </Stack>
  );
}

/** `/contacts/:contactId/edit` */
export function EditContactPage() {
  const { contactId = '' } = useParams();
  if (!isUuid(contactId)) return <NotFoundPage />;
  return <EditContact contactId={contactId} />;
}

function EditContact({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const access = useFieldAccess();
  const contact = useContact(contactId);
  const name = contact.data ? contactName(t, contact.data) : '';
  usePageTitle(t('contacts.form.editTitle', { name }));

  return (
    <Stack gap="lg" data-testid="contact-form-page">
      <Title order={1}>{t('contacts.form.editTitle', { name })}</Title>
      {contact.isPending || access.isPending ? (
        <Loader />
      ) : contact.isError || access.isError ? (
        <ErrorAlert error={contact.error ?? access.error} />
      ) : (
        <ContactForm key={contact.data.id} access={access.data} contact={contact.data} />
      )}
    </Stack>
  );
}

function ContactForm({
  access,
  contact,
  initialCompany = null,
}: {
  access: FieldAccess;
  contact?: Contact | undefined;
  initialCompany?: CompanyChoice | null;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayPickCompany = useHasRight('companies:read');
  const create = useCreateContact();
  const update = useUpdateContact();
  const mutation = contact ? update : create;

  const [company, setCompany] = useState<CompanyChoice | null>(() =>
    contact?.companyId ? { id: contact.companyId, name: contact.companyName ?? '' } : initialCompany,
  );
  const [tags, setTags] = useState<string[]>(() => contact?.tags ?? []);
  const [elsewhere, setElsewhere] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useRecordForm(contactFields, access, contact, {
    identify: contact ? undefined : { companyId: company?.id ?? null },
  });

  const custom = useCustomFieldsForm('contact', access, contact?.customFields);
  const customChanges = contact ? custom.changes() : {};

  const shownFields = new Set<string>([
    ...form.editable.map((def) => def.key),
    'companyId',
    'tags',
    'customFields',
  ]);
  const changes: ContactInput = contact
    ? {
        ...changedValues(form.editable, form.initial, form.values),
        ...((company?.id ?? null) !== contact.companyId ? { companyId: company?.id ?? null } : {}),
        ...(sameTags(tags, contact.tags) ? {} : { tags }),
        ...(Object.keys(customChanges).length > 0 ? { customFields: customChanges } : {}),
      }
    : {};
  const dirty = contact === undefined || Object.keys(changes).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const customOk = custom.check();
    if (!form.check() || !customOk) return focusFirstInvalid(formRef.current);
    const onError = (error: unknown) => {
      setElsewhere(form.takeServerErrors(error, shownFields));
      custom.takeServerErrors(error);
      focusFirstInvalid(formRef.current);
    };
    const onSuccess = (saved: Contact) => void navigate(`/contacts/${saved.id}`);
    setElsewhere([]);
    if (contact) {
      update.mutate({ id: contact.id, changes }, { onSuccess, onError });
    } else {
      const body: ContactInput = {
        ...valuesToCreate(form.editable, form.values),
        ...(company ? { companyId: company.id } : {}),
        ...(tags.length > 0 ? { tags } : {}),
      };
      const customValues = custom.toCreate();
      if (Object.keys(customValues).length > 0) body.customFields = customValues;
      create.mutate(body, { onSuccess, onError });
    }
  };

  const extras = {
    identity: mayPickCompany ? (
      <CompanySelect
        label={t('contacts.fields.company')}
        value={company}
        onChange={(next) => {
          setCompany(next);
          form.clearServerError('companyId');
        }}
        error={form.errorOf('companyId')}
        testId="input-company"
      />
    ) : (
      <TextInput
        label={t('contacts.fields.company')}
        value={company?.name ?? ''}
        description={t('contacts.form.companyNoRight')}
        readOnly
        disabled
      />
    ),
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate data-testid="contact-form">
      <Stack gap="md">
        <FormProblem
          error={mutation.error}
          elsewhere={elsewhere}
          messages={{
            CONTACTS_COMPANY_NOT_FOUND: t('contacts.errors.companyNotFound'),
            CONTACTS_OUT_OF_SCOPE: t('contacts.errors.outOfScope'),
            CONTACTS_NOT_FOUND: t('contacts.errors.notFound'),
          }}
        />
        <FormFieldGroups defs={contactFields} form={form} access={access} record={contact} extras={extras} />
        <CustomFieldInputs form={custom} />
        <Card withBorder radius="md" padding="md">
          <TagsField
            value={tags}
            onChange={(next) => {
              setTags(next);
              form.clearServerError('tags');
            }}
            description={t('contacts.form.tagsHint')}
            error={form.errorOf('tags')}
            testId="input-tags"
          />
        </Card>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={contact ? `/contacts/${contact.id}` : '/contacts'}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={!dirty} data-testid="contact-save">
            {contact ? t('common.save') : t('contacts.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
