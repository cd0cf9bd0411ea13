// Credentials and passes: change a card's label, plan or dates; revoke; issue a day or guest
// pass (a keypad PIN valid on some dates; the PIN is shown once and kept only as a fingerprint);
// card enrolment at a reader the host chose (start, watch, confirm a tapped card, cancel, undo;
// "replace" = enrol with `replaces`).
import type { FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';
import { apiError } from '../../../contracts/errors.ts';
import { mayManage } from '../../../contracts/policies.ts';
import { fingerprint } from '../../../contracts/signing.ts';
import { pinUid } from '../../../contracts/readers.ts';
import type { Credential } from '../../db/credentials-repo.ts';
import type { EnrolmentCaller, EnrolmentOutcome } from '../../enrol/enrolments.ts';
import { credentialView } from '../../admin/credential-view.ts';
import { memberOf } from '../auth.ts';
import { notFound, changed, checkDates, checkPlan } from '../admin.ts';
import type { AdminDeps, HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

/** Keypad PINs are credentials too: the fingerprint of the uid `PIN:<digits>` (contracts AclEntry.fp). */
export const pinFingerprint = (siteKey: string, pin: string): string => fingerprint(siteKey, pinUid(pin));

export type CredentialRoutesOptions = AdminDeps &
  Pick<HttpDeps, 'enrolments'> & {
    /** A keypad PIN's fingerprint (the site key stays outside the routes). */
    pinFingerprint(pin: string): string;
  };

export const credentialRoutes = routePlugin<CredentialRoutesOptions>((app, ctx) => {
  const { store, config } = ctx;
  const tz = config.site.timeZone;
  const view = (c: Credential) => credentialView(c, tz, ctx.now());

  /** The credential, if the caller may manage its member. */
  const credential = (request: FastifyRequest, id: number): Credential => {
    const c = store.credentials.byId(id);
    if (!c) throw notFound('credential');
    const owner = store.members.byId(c.member);
    const caller = memberOf(request);
    if (owner && !mayManage(caller, owner)) {
      throw apiError('forbidden', 'Only an operator manages the cards of hosts and operators.');
    }
    return c;
  };
  const manageable = (request: FastifyRequest, memberId: string) => {
    const m = store.members.byId(memberId);
    if (!m) throw apiError('unknown-member', `There is no member "${memberId}".`);
    const caller = memberOf(request);
    if (!mayManage(caller, m)) throw apiError('forbidden', 'Only an operator manages hosts and operators.');
    return m;
  };

  route(app, 'changeCredential', async (request) => {
    const c = credential(request, request.params.id);
    if (c.revokedAt !== null) throw apiError('revoked', 'This credential is revoked.');
    const b = request.body;
    const next: Credential = { ...c, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) };
    checkDates(next.validFrom, next.validTo);
    checkPlan(ctx, next.plan);
    store.credentials.update(next);
    await changed(ctx, request, 'credential.update', c.member, { credential: c.id, fields: Object.keys(b).sort() });
    return view(next);
  });

  route(app, 'revokeCredential', async (request) => {
    const c = credential(request, request.params.id);
    if (!store.credentials.revoke(c.id, ctx.now())) throw apiError('revoked', 'This credential is already revoked.');
    await changed(ctx, request, 'credential.revoke', c.member, { credential: c.id });
    return view(store.credentials.byId(c.id)!);
  });

  route(app, 'issuePass', async (request) => {
    const b = request.body;
    const m = manageable(request, b.member);
    const to = b.to ?? b.from;
    checkDates(b.from, to, 'from/to');
    checkPlan(ctx, b.plan);
    let pin = b.pin;
    if (pin !== undefined && store.credentials.liveByFingerprint(ctx.pinFingerprint(pin))) {
      throw apiError('pin-taken', 'That PIN is in use: choose another, or leave it out for a random one.');
    }
    for (let i = 0; pin === undefined && i < 50; i++) {
      const candidate = String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!store.credentials.liveByFingerprint(ctx.pinFingerprint(candidate))) pin = candidate;
    }
    if (pin === undefined) throw apiError('pin-taken', 'No free PIN found: revoke old passes.');
    const c = store.credentials.insert(
      { member: m.id, kind: 'pin', fingerprint: ctx.pinFingerprint(pin), label: b.label ?? `${b.kind} pass`, plan: b.plan, validFrom: b.from, validTo: to },
      ctx.now(),
    );
    await changed(ctx, request, 'pass.create', m.id, { credential: c.id, kind: b.kind, plan: b.plan, from: b.from, to });
    return { credential: view(c), pin };
  });

  route(app, 'startEnrolment', (request) => {
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
    return ctx.enrolments.start({ ...b, actor: caller.id, source: request.ip });
  });

  route(app, 'enrolment', (request) => {
    const e = ctx.enrolments.get(request.params.id);
    if (!e) throw notFound('enrolment');
    return e;
  });

  route(app, 'cancelEnrolment', (request) => {
    const e = ctx.enrolments.cancel(request.params.id, memberOf(request).id, request.ip);
    if (!e) throw ctx.enrolments.get(request.params.id) ? apiError('not-waiting', 'This enrolment is over.') : notFound('enrolment');
    return e;
  });

  const caller = (request: FastifyRequest): EnrolmentCaller => {
    const m = memberOf(request);
    return { actor: m.id, source: request.ip, operator: m.role === 'operator' };
  };
  const outcome = (o: EnrolmentOutcome) => {
    if (o.ok) return o.view;
    switch (o.refusal) {
      case 'not-found':
        throw notFound('enrolment');
      case 'forbidden':
        throw apiError('forbidden', 'Someone else started this enrolment: only they (or an operator) may confirm or undo it.');
      case 'not-waiting':
        throw apiError('not-waiting', 'This enrolment is over: nothing was bound. Start again.');
      case 'unknown-candidate':
        throw apiError('unknown-candidate', 'That card was not tapped at the reader in this enrolment.');
      case 'card-taken':
        throw apiError('card-taken', 'That card already belongs to someone. Revoke it there first.');
      case 'unknown-member':
        throw apiError('unknown-member', 'The member no longer exists.');
      case 'not-bound':
        throw apiError('not-bound', 'This enrolment bound no card, or it was undone already.');
    }
  };

  route(app, 'confirmEnrolment', (request) => outcome(ctx.enrolments.confirm(request.params.id, request.body.candidate, caller(request), request.body.label)));

  route(app, 'undoEnrolment', (request) => outcome(ctx.enrolments.undo(request.params.id, caller(request))));
});
