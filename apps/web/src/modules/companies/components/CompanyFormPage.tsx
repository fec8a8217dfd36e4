import { Button, Card, Group, Loader, Stack, Title } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import {
  changedValues,
  companyFields,
  type FieldAccess,
  FormFieldGroups,
  FormProblem,
  focusFirstInvalid,
  isUuid,
  sameTags,
  TagsField,
  useFieldAccess,
  useRecordForm,
  valuesToCreate,
} from '../../contacts/index.ts';
import { CustomFieldInputs, useCustomFieldsForm } from '../../customFields/index.ts';
import type { Company, CompanyInput } from '../api/companies.ts';
import { useCompany, useCreateCompany, useUpdateCompany } from '../hooks/useCompanies.ts';

/** `/companies/new` */
export function NewCompanyPage() {
  const { t } = useTranslation();
  usePageTitle(t('companies.form.newTitle'));
  const access = useFieldAccess();
  return (
    <Stack gap="lg" data-testid="company-form-page">
      <Title order={1}>{t('companies.form.newTitle')}</Title>
      {access.isPending ? (
        <Loader />
      ) : access.isError ? (
        <ErrorAlert error={access.error} />
      ) : (
        <CompanyForm access={access.data} />
      )}
    </Stack>
  );
}

/** `/companies/:companyId/edit` */
export function EditCompanyPage() {
  const { companyId = '' } = useParams();
  if (!isUuid(companyId)) return <NotFoundPage />;
  return <EditCompany companyId={companyId} />;
}

function EditCompany({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const access = useFieldAccess();
  const company = useCompany(companyId);
  const name = company.data?.name ?? '';
  usePageTitle(t('companies.form.editTitle', { name }));
  return (
    <Stack gap="lg" data-testid="company-form-page">
      <Title order={1}>{t('companies.form.editTitle', { name })}</Title>
      {company.isPending || access.isPending ? (
        <Loader />
      ) : company.isError || access.isError ? (
        <ErrorAlert error={company.error ?? access.error} />
      ) : (
        <CompanyForm key={company.data.id} access={access.data} company={company.data} />
      )}
    </Stack>
  );
}

function CompanyForm({ access, company }: { access: FieldAccess; company?: Company | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCompany();
  const update = useUpdateCompany();
  const mutation = company ? update : create;
  const [tags, setTags] = useState<string[]>(() => company?.tags ?? []);
  const [elsewhere, setElsewhere] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useRecordForm(companyFields, access, company, { required: ['name'] });

  const custom = useCustomFieldsForm('company', access, company?.customFields);
  const customChanges = company ? custom.changes() : {};

  const shownFields = new Set<string>([...form.editable.map((def) => def.key), 'tags', 'customFields']);
  const changes: CompanyInput = company
    ? {
        ...changedValues(form.editable, form.initial, form.values),
        ...(sameTags(tags, company.tags) ? {} : { tags }),
        ...(Object.keys(customChanges).length > 0 ? { customFields: customChanges } : {}),
      }
    : {};
  const dirty = company === undefined || Object.keys(changes).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const customOk = custom.check();
    if (!form.check() || !customOk) return focusFirstInvalid(formRef.current);
    const onError = (error: unknown) => {
      setElsewhere(form.takeServerErrors(error, shownFields));
      custom.takeServerErrors(error);
      focusFirstInvalid(formRef.current);
    };
    const onSuccess = (saved: Company) => void navigate(`/companies/${saved.id}`);
    setElsewhere([]);
    if (company) {
      update.mutate({ id: company.id, changes }, { onSuccess, onError });
    } else {
      const body: CompanyInput = {
        ...valuesToCreate(form.editable, form.values),
        ...(tags.length > 0 ? { tags } : {}),
      };
      const customValues = custom.toCreate();
      if (Object.keys(customValues).length > 0) body.customFields = customValues;
      create.mutate(body, { onSuccess, onError });
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate data-testid="company-form">
      <Stack gap="md">
        <FormProblem
          error={mutation.error}
          elsewhere={elsewhere}
          messages={{ CONTACTS_NOT_FOUND: t('companies.errors.notFound') }}
        />
        <FormFieldGroups defs={companyFields} form={form} access={access} record={company} />
        <CustomFieldInputs form={custom} />
        <Card withBorder radius="md" padding="md">
          <TagsField
            value={tags}
            onChange={(next) => {
              setTags(next);
              form.clearServerError('tags');
            }}
            description={t('companies.form.tagsHint')}
            error={form.errorOf('tags')}
            testId="input-tags"
          />
        </Card>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={company ? `/companies/${company.id}` : '/companies'}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={!dirty} data-testid="company-save">
            {company ? t('common.save') : t('companies.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
