import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditBy as audit } from '../audit/index.ts';
import {
  changePassword,
  disableTotp,
  enableTotp,
  login,
  logout,
  type SessionSettings,
  SourceThrottle,
  setUpTotp,
} from './identity.auth.ts';
import { confirmPasswordReset, requestPasswordReset } from './identity.password-reset.ts';
import { meSchema } from './identity.schema.ts';
import { describeMe } from './identity.service.ts';

export const SESSION_COOKIE = 'kontor_session';
export const CSRF_COOKIE = 'kontor_csrf';

const loginSchema = z.object({
  email: z.string().trim().min(1, 'must not be empty').max(320),
  password: z.string().min(1, 'must not be empty').max(1000),
  totp: z.string().trim().max(20).optional().describe('A 6-digit code, or a recovery code'),
  tenantId: z.string().uuid().optional().describe('Only when the email signs in to several businesses'),
});

export function authRoutes(
  database: Database,
  options: {
    session: SessionSettings;
    secureCookies: boolean;
    secrets: SecretBox;
    queue: JobQueue;
    baseUrl: string;
  },
) {
  const throttle = new SourceThrottle();
  const resetThrottle = new SourceThrottle();
  const cookie = (httpOnly: boolean, maxAgeSeconds: number) => ({
    path: '/',
    httpOnly,
    sameSite: 'lax' as const,
    secure: options.secureCookies,
    maxAge: maxAgeSeconds,
  });
  const clearCookies = (reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
  };

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in: sets the session cookie and returns the CSRF token for writes',
          security: [],
          body: loginSchema,
          response: { 200: meSchema.extend({ csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const result = await login(database.db, request.body, {
          source: request.ip,
          throttle,
          session: options.session,
          secrets: options.secrets,
          replaceSession: request.cookies[SESSION_COOKIE],
        });
        const maxAge = options.session.maxHours * 3600;
        reply.setCookie(SESSION_COOKIE, result.sessionToken, cookie(true, maxAge));
        reply.setCookie(CSRF_COOKIE, result.csrfToken, cookie(false, maxAge));
        const me = await withTenant(database.db, result.tenantId, (tx) => describeMe(tx, result.userId));
        return { ...me, tenantId: result.tenantId, csrfToken: result.csrfToken };
      },
    );

    r.post(
      '/api/v1/auth/logout',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'Sign out: ends this session', response: { 204: z.null() } },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.via.kind === 'session') {
          const sessionId = principal.via.id;
          await withTenant(database.db, principal.tenantId, (tx) => logout(tx, sessionId));
        }
        clearCookies(reply);
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/auth/password',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Change my password (ends my other sessions)',
          body: z.object({
            currentPassword: z.string().max(1000).nullish(),
            newPassword: z.string().min(12, 'must have at least 12 characters').max(1000),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await withTenant(database.db, principal.tenantId, async (tx) => {
          await changePassword(tx, principal, {
            currentPassword: request.body.currentPassword ?? null,
            newPassword: request.body.newPassword,
          });
          await audit(tx, principal, 'user.password-changed', 'user', principal.userId, {
            kind: 'personal-data',
            fields: ['password'],
          });
        });
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/auth/password-reset',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary:
            'Ask for a password-reset link by email (the same answer whether or not the account exists)',
          security: [],
          body: z.object({
            email: z.string().trim().min(1, 'must not be empty').max(320),
            language: z.enum(['de', 'en', 'fr']).optional().describe('Language of the mail'),
          }),
          response: { 202: z.object({ ok: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(database.db, options.queue, request.body, {
          baseUrl: options.baseUrl,
          source: request.ip,
          throttle: resetThrottle,
        });
        return reply.status(202).send({ ok: true });
      },
    );

    r.post(
      '/api/v1/auth/password-reset/confirm',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: "Set a new password with the emailed link's token (ends every session of the user)",
          security: [],
          body: z.object({
            token: z.string().min(1, 'must not be empty').max(200),
            newPassword: z.string().min(12, 'must have at least 12 characters').max(1000),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await confirmPasswordReset(database.db, request.body);
        clearCookies(reply);
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/auth/totp/setup',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Start two-factor sign-in: a new secret for the authenticator app',
          response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }) },
        },
      },
      async (request) => {
        const { tenantId, userId } = principalOf(request);
        return withTenant(database.db, tenantId, (tx) => setUpTotp(tx, userId, options.secrets));
      },
    );

    r.post(
      '/api/v1/auth/totp/enable',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Confirm two-factor sign-in with a code; returns recovery codes once',
          body: z.object({ code: z.string().trim().min(6).max(10) }),
          response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tenantId, userId } = principal;
        const recoveryCodes = await withTenant(database.db, tenantId, async (tx) => {
          const codes = await enableTotp(tx, tenantId, userId, request.body.code, options.secrets);
          await audit(tx, principal, 'user.two-factor-enabled', 'user', userId, {
            kind: 'settings',
            before: { twoFactor: false },
            after: { twoFactor: true },
          });
          return codes;
        });
        return { recoveryCodes };
      },
    );

    r.post(
      '/api/v1/auth/totp/disable',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Switch two-factor sign-in off (needs the password)',
          body: z.object({ password: z.string().min(1).max(1000) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await withTenant(database.db, principal.tenantId, async (tx) => {
          await disableTotp(tx, principal.userId, request.body.password);
          await audit(tx, principal, 'user.two-factor-disabled', 'user', principal.userId, {
            kind: 'settings',
            before: { twoFactor: true },
            after: { twoFactor: false },
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
}
