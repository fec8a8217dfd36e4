import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { isRight, type Right } from '../../kernel/http/access.ts';
import type { FieldAccess } from '../privacy/privacy.fields.ts';
import { principalFieldAccess } from './identity.service.ts';

/** What a user may do and see now: the union of their roles, and their contact scope. */
export type UserGrants = {
  userId: string;
  rights: ReadonlySet<Right>;
  fieldAccess: FieldAccess;
  /** Tag names the user's contacts are limited to; null: every contact of the tenant. */
  contactScope: readonly string[] | null;
};

/**
 * A user's current grants, for work done on their behalf outside a request (a job producing
 * their export after an approval): the same union of roles the credential look-ups compute, so
 * the work never sees more than the user would in a request now. Undefined for an unknown user.
 */
export async function grantsOfUser(tx: TenantTx, userId: string): Promise<UserGrants | undefined> {
  const user = await tx
    .selectFrom('appUser')
    .select(['id', 'contactScope'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await tx
    .selectFrom('userRole')
    .innerJoin('role', (join) =>
      join.onRef('role.id', '=', 'userRole.roleId').onRef('role.tenantId', '=', 'userRole.tenantId'),
    )
    .select(['role.rights', 'role.fieldAccess'])
    .where('userRole.userId', '=', userId)
    .execute();
  return {
    userId: user.id,
    rights: new Set(roles.flatMap((r) => r.rights).filter(isRight)),
    fieldAccess: principalFieldAccess(roles.map((r) => r.fieldAccess)),
    contactScope: user.contactScope,
  };
}
