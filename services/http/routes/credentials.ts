// Credentials and passes: change a card's label, plan or dates; revoke; issue a day or guest
// pass (a keypad PIN valid on some dates; the PIN is shown once and kept only as a fingerprint);
// card enrolment at a reader (start, watch, cancel; "replace" = enrol with `replaces`).
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';
import { ApiError, CredentialView, CredentialPatchBody, PassBody, PassCreated, EnrolmentBody, EnrolmentView, UuidParams } from '../../../contracts/api/index.ts';
import { fingerprint } from '../../../contracts/signing.ts';
import type { Credential } from '../../db/credentials-repo.ts';
import { credentialView } from '../../admin/credential-view.ts';
import { memberOf } from '../auth.ts';
import { NumericIdParams, notFound, changed, checkDates, checkPlan } from '../admin.ts';
import type { ApiContext } from '../context.ts';

/** Keypad PINs are credentials too: the fingerprint of the uid `PIN:<digits>` (contracts AclEntry.fp). */
export const pinFingerprint = (siteKey: string, pin: string): string => fingerprint(siteKey, `PIN:${pin}`);

export function credentialRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store, config } = ctx;
  const tz = config.site.timeZone;
  const errors = { '4xx': ApiError };
  const view = (c: Credential) => credentialView(c, tz, ctx.now());

  /** The credential, if the caller may manage its member. */
  const credential = (request: FastifyRequest, id: number): Credential => {
    const c = store.credentials.byId(id);
    if (!c) throw notFound('credential');
    const owner = store.members.byId(c.member);
    const caller = memberOf(request);
    if (owner && owner.role !== 'member' && caller.role !== 'operator' && owner.id !== caller.id) {
      throw apiError('forbidden', 'Only an operator manages the cards of hosts and operators.');
    }
    return c;
  };
  const manageable = (request: FastifyRequest, memberId: string) => {
    const m = store.members.byId(memberId);
    if (!m) throw apiError('unknown-member', `There is no member "${memberId}".`);
    const caller = memberOf(request);
    if (m.role !== 'member' && caller.role !== 'operator' && m.id !== caller.id) throw apiError('forbidden', 'Only an operator manages hosts and operators.');
    return m;
  };

  app.patch<{ Params: NumericIdParams; Body: CredentialPatchBody }>(
    '/api/credentials/:id',
    { config: { access: 'host' }, schema: { tags: ['credentials'], summary: "Change a credential's label, plan or dates", params: NumericIdParams, body: CredentialPatchBody, response: { 200: CredentialView, ...errors } } },
    async (request) => {
      const c = credential(request, request.params.id);
      if (c.revokedAt !== null) throw apiError('revoked', 'This credential is revoked.');
      const b = request.body;
      const next = { ...c, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) } as Credential;
      checkDates(next.validFrom, next.validTo);
      checkPlan(ctx, next.plan);
      store.credentials.update(next);
      await changed(ctx, request, 'credential.update', c.member, { credential: c.id, fields: Object.keys(b).sort() });
      return view(next);
    },
  );

  app.delete<{ Params: NumericIdParams }>(
    '/api/credentials/:id',
    { config: { access: 'host' }, schema: { tags: ['credentials'], summary: 'Revoke a card or PIN (the gateway drops it with the next access list)', params: NumericIdParams, response: { 200: CredentialView, ...errors } } },
    async (request) => {
      const c = credential(request, request.params.id);
      if (!store.credentials.revoke(c.id, ctx.now())) throw apiError('revoked', 'This credential is already revoked.');
      await changed(ctx, request, 'credential.revoke', c.member, { credential: c.id });
      return view(store.credentials.byId(c.id)!);
    },
  );

  app.post<{ Body: PassBody }>(
    '/api/passes',
    { config: { access: 'host' }, schema: { tags: ['credentials'], summary: 'Issue a day or guest pass: a keypad PIN valid on these dates', body: PassBody, response: { 201: PassCreated, ...errors } } },
    async (request, reply) => {
      const b = request.body;
      const m = manageable(request, b.member);
      const to = b.to ?? b.from;
      checkDates(b.from, to, 'from/to');
      checkPlan(ctx, b.plan);
      let pin = b.pin;
      if (pin !== undefined && store.credentials.liveByFingerprint(pinFingerprint(ctx.secrets.siteKey, pin))) {
        throw apiError('pin-taken', 'That PIN is in use: choose another, or leave it out for a random one.');
      }
      for (let i = 0; pin === undefined && i < 50; i++) {
        const candidate = String(randomInt(0, 1_000_000)).padStart(6, '0');
        if (!store.credentials.liveByFingerprint(pinFingerprint(ctx.secrets.siteKey, candidate))) pin = candidate;
      }
      if (pin === undefined) throw apiError('pin-taken', 'No free PIN found: revoke old passes.');
      const c = store.credentials.insert(
        { member: m.id, kind: 'pin', fingerprint: pinFingerprint(ctx.secrets.siteKey, pin), label: b.label ?? `${b.kind} pass`, plan: b.plan, validFrom: b.from, validTo: to },
        ctx.now(),
      );
      await changed(ctx, request, 'pass.create', m.id, { credential: c.id, kind: b.kind, plan: b.plan, from: b.from, to });
      return reply.code(201).send({ credential: view(c), pin });
    },
  );

  app.post<{ Body: EnrolmentBody }>(
    '/api/enrolments',
    {
      config: { access: 'host' },
      schema: {
        tags: ['credentials'],
        summary: 'Enrol a card: the next unknown card tapped at this door within 60 s is bound to the member',
        description: 'Progress arrives on the live stream as `{type: "enrolment"}` messages.',
        body: EnrolmentBody,
        response: { 201: EnrolmentView, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      manageable(request, b.member);
      if (!config.doors.some((d) => d.id === b.door)) throw apiError('unknown-door', `There is no door "${b.door}".`, 400);
      checkDates(b.validFrom, b.validTo);
      checkPlan(ctx, b.plan);
      if (b.replaces !== undefined) {
        const old = credential(request, b.replaces);
        if (old.member !== b.member) throw apiError('wrong-member', 'The credential to replace belongs to someone else.');
        if (old.revokedAt !== null) throw apiError('revoked', 'The credential to replace is already revoked.');
      }
      if (ctx.enrolments.openAt(b.door)) throw apiError('enrolment-open', 'This door is already waiting for a card. Cancel that first, or wait a minute.');
      const caller = memberOf(request);
      const e = ctx.enrolments.start({ ...b, actor: caller.id, source: request.ip });
      return reply.code(201).send(e);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/enrolments/:id',
    { config: { access: 'host' }, schema: { tags: ['credentials'], summary: 'An enrolment and how it went', params: UuidParams, response: { 200: EnrolmentView, ...errors } } },
    async (request) => {
      const e = ctx.enrolments.get(request.params.id);
      if (!e) throw notFound('enrolment');
      return e;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/enrolments/:id',
    { config: { access: 'host' }, schema: { tags: ['credentials'], summary: 'Cancel a waiting enrolment', params: UuidParams, response: { 200: EnrolmentView, ...errors } } },
    async (request) => {
      const e = ctx.enrolments.cancel(request.params.id, memberOf(request).id, request.ip);
      if (!e) throw (ctx.enrolments.get(request.params.id) ? apiError('not-waiting', 'This enrolment is over.') : notFound('enrolment'));
      return e;
    },
  );

}
