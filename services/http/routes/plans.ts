// Plans (doors, weekly windows in the site's time zone, validity dates, offline flag) and
// closures (holidays: dates when some or all plans open no doors). Hosts manage both; every
// change recompiles the access lists.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { randomBytes } from 'node:crypto';
import { ApiError, PlanView, PlanBody, PlanPatchBody, ClosureView, ClosureBody } from '../../../contracts/api/index.ts';
import type { Plan } from '../../db/plans-repo.ts';
import { IdParams, notFound, changed, checkDates, checkDoors, checkWindows, slugId } from '../admin.ts';
import type { ApiContext } from '../context.ts';

export function planRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx;
  const errors = { '4xx': ApiError };
  const tags = ['plans'];
  const view = (p: Plan): PlanView => ({ ...p, inUse: store.plans.usage(p.id) });
  const plan = (id: string): Plan => {
    const p = store.plans.byId(id);
    if (!p) throw notFound('plan');
    return p;
  };
  const check = (p: Plan) => {
    checkDoors(ctx, p.doors);
    checkWindows(p.windows);
    checkDates(p.validFrom, p.validTo);
  };

  app.get('/api/plans', { config: { access: 'host' }, schema: { tags, summary: 'List plans', response: { 200: Type.Array(PlanView), ...errors } } }, async () =>
    store.plans.all().map(view),
  );

  app.post<{ Body: PlanBody }>(
    '/api/plans',
    { config: { access: 'host' }, schema: { tags, summary: 'Add a plan', body: PlanBody, response: { 201: PlanView, ...errors } } },
    async (request, reply) => {
      const b = request.body;
      if (b.id && store.plans.byId(b.id)) throw apiError('id-taken', `The id "${b.id}" is taken.`);
      const p: Plan = {
        id: b.id ?? slugId(b.name, (id) => store.plans.byId(id) !== undefined, 'plan'),
        name: b.name,
        doors: [...b.doors].sort(),
        windows: b.windows ?? [],
        offline: b.offline ?? false,
        validFrom: b.validFrom ?? null,
        validTo: b.validTo ?? null,
      };
      check(p);
      store.plans.upsert(p, ctx.now());
      await changed(ctx, request, 'plan.create', p.id, { doors: p.doors, windows: p.windows.length, offline: p.offline, validFrom: p.validFrom, validTo: p.validTo });
      return reply.code(201).send(view(p));
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/plans/:id',
    { config: { access: 'host' }, schema: { tags, summary: 'One plan', params: IdParams, response: { 200: PlanView, ...errors } } },
    async (request) => view(plan(request.params.id)),
  );

  app.patch<{ Params: IdParams; Body: PlanPatchBody }>(
    '/api/plans/:id',
    { config: { access: 'host' }, schema: { tags, summary: 'Change a plan', params: IdParams, body: PlanPatchBody, response: { 200: PlanView, ...errors } } },
    async (request) => {
      const cur = plan(request.params.id);
      const b = request.body;
      const next: Plan = {
        ...cur,
        ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)),
        doors: b.doors ? [...b.doors].sort() : cur.doors,
      };
      check(next);
      store.plans.upsert(next);
      await changed(ctx, request, 'plan.update', next.id, { fields: Object.keys(b).sort() });
      return view(next);
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/plans/:id',
    { config: { access: 'host' }, schema: { tags, summary: 'Remove a plan nobody is on', params: IdParams, response: errors } },
    async (request, reply) => {
      const p = plan(request.params.id);
      const n = store.plans.usage(p.id);
      if (n > 0) throw apiError('plan-in-use', `${n} member(s) or pass(es) are on this plan: move them first.`);
      if (store.plans.closures().some((c) => c.plans.includes(p.id))) throw apiError('plan-in-use', 'A closure names this plan: change it first.');
      store.plans.remove(p.id);
      await changed(ctx, request, 'plan.delete', p.id);
      return reply.code(204).send();
    },
  );

  app.get('/api/closures', { config: { access: 'host' }, schema: { tags, summary: 'Closures and holidays', response: { 200: Type.Array(ClosureView), ...errors } } }, async () =>
    store.plans.closures(),
  );

  app.post<{ Body: ClosureBody }>(
    '/api/closures',
    { config: { access: 'host' }, schema: { tags, summary: 'Add a closure: these plans (all when none given) open no doors on these dates', body: ClosureBody, response: { 201: ClosureView, ...errors } } },
    async (request, reply) => {
      const b = request.body;
      checkDates(b.from, b.to, 'from/to');
      const plans = b.plans ?? [];
      const unknown = plans.filter((p) => !store.plans.byId(p));
      if (unknown.length > 0) throw apiError('unknown-plan', `Unknown plan: ${unknown.join(', ')}.`);
      const c = { id: `c-${randomBytes(4).toString('hex')}`, name: b.name, from: b.from, to: b.to, plans };
      store.plans.insertClosure(c, ctx.now());
      await changed(ctx, request, 'closure.create', c.id, { from: c.from, to: c.to, plans });
      return reply.code(201).send(c);
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/closures/:id',
    { config: { access: 'host' }, schema: { tags, summary: 'Remove a closure', params: IdParams, response: errors } },
    async (request, reply) => {
      if (!store.plans.removeClosure(request.params.id)) throw notFound('closure');
      await changed(ctx, request, 'closure.delete', request.params.id);
      return reply.code(204).send();
    },
  );
}
