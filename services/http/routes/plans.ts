// Plans (doors, weekly windows in the site's time zone, validity dates, offline flag) and
// closures (holidays: dates when some or all plans open no doors). Hosts manage both; every
// change recompiles the access lists.
import { randomBytes } from 'node:crypto';
import { apiError } from '../../../contracts/errors.ts';
import type { PlanView } from '../../../contracts/api/index.ts';
import type { Plan } from '../../db/plans-repo.ts';
import { notFound, changed, checkDates, checkDoors, checkWindows, slugId } from '../admin.ts';
import type { AdminDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export const planRoutes = routePlugin<AdminDeps>((app, ctx) => {
  const { store } = ctx;
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

  route(app, 'plans', () => store.plans.all().map(view));

  route(app, 'addPlan', async (request) => {
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
      ...(b.booking && { booking: b.booking }),
    };
    check(p);
    store.plans.upsert(p, ctx.now());
    await changed(ctx, request, 'plan.create', p.id, {
      doors: p.doors,
      windows: p.windows.length,
      offline: p.offline,
      validFrom: p.validFrom,
      validTo: p.validTo,
    });
    return view(p);
  });

  route(app, 'plan', (request) => view(plan(request.params.id)));

  route(app, 'changePlan', async (request) => {
    const cur = plan(request.params.id);
    const b = request.body;
    const next: Plan = {
      ...cur,
      ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)),
      doors: b.doors ? [...b.doors].sort() : cur.doors,
      booking: b.booking === null ? undefined : (b.booking ?? cur.booking),
    };
    if (next.booking === undefined) delete next.booking;
    check(next);
    store.plans.upsert(next);
    await changed(ctx, request, 'plan.update', next.id, { fields: Object.keys(b).sort() });
    return view(next);
  });

  route(app, 'deletePlan', async (request) => {
    const p = plan(request.params.id);
    const n = store.plans.usage(p.id);
    if (n > 0) throw apiError('plan-in-use', `${n} member(s) or pass(es) are on this plan: move them first.`);
    if (store.plans.closures().some((c) => c.plans.includes(p.id))) throw apiError('plan-in-use', 'A closure names this plan: change it first.');
    store.plans.remove(p.id);
    await changed(ctx, request, 'plan.delete', p.id);
  });

  route(app, 'closures', () => store.plans.closures());

  route(app, 'addClosure', async (request) => {
    const b = request.body;
    checkDates(b.from, b.to, 'from/to');
    const plans = b.plans ?? [];
    const unknown = plans.filter((p) => !store.plans.byId(p));
    if (unknown.length > 0) throw apiError('unknown-plan', `Unknown plan: ${unknown.join(', ')}.`);
    const c = { id: `c-${randomBytes(4).toString('hex')}`, name: b.name, from: b.from, to: b.to, plans };
    store.plans.insertClosure(c, ctx.now());
    await changed(ctx, request, 'closure.create', c.id, { from: c.from, to: c.to, plans });
    return c;
  });

  route(app, 'deleteClosure', async (request) => {
    if (!store.plans.removeClosure(request.params.id)) throw notFound('closure');
    await changed(ctx, request, 'closure.delete', request.params.id);
  });
});
