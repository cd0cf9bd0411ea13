// Input that looks valid must never be a 500 (issue 12, finding 8): two requests racing for the
// same email or id are a 409 like the route's own check answers, and a numeric query or path
// value that is not a finite number ("Infinity", "1e309") is a 400 naming the field.
import { describe, it, expect } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import { httpApp, expectReply, expectRefusal, expectBadField } from '../../helpers/http-app.ts';
import { ROUTE_SCHEMAS, type RouteSchema } from '../../../contracts/route-schemas.ts';
import type { RouteName } from '../../../contracts/routes.ts';

const NEW = { name: 'Anna Berg', email: 'anna@kystkontor.dk', plan: 'flex' };

describe('concurrent writes that collide', () => {
  it('two members added at once with one email: one 201, one 409 email-taken', async () => {
    const h = await httpApp();
    const [a, b] = await Promise.all([
      h.call('addMember', { as: 'mette', body: { ...NEW, password: 'a-long-password-1' } }),
      h.call('addMember', { as: 'mette', body: { ...NEW, name: 'Anna B', email: 'ANNA@kystkontor.dk', password: 'a-long-password-2' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const lost = a.statusCode === 409 ? a : b;
    expectRefusal('addMember', lost, 409, 'email-taken');
    expect(h.store.members.list({ q: 'anna', limit: 10, offset: 0 }).total).toBe(1);
  });

  it('two members added at once with one chosen id: one 201, one 409 id-taken', async () => {
    const h = await httpApp();
    const [a, b] = await Promise.all([
      h.call('addMember', { as: 'mette', body: { ...NEW, id: 'm_annaannaannaanna', password: 'a-long-password-1' } }),
      h.call('addMember', { as: 'mette', body: { ...NEW, id: 'm_annaannaannaanna', email: 'anna2@kystkontor.dk', password: 'a-long-password-2' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expectRefusal('addMember', a.statusCode === 409 ? a : b, 409, 'id-taken');
  });
});

/** The integer properties of a query or params schema. */
const integerFields = (s: TSchema | undefined): [string, TSchema][] =>
  Object.entries((s?.properties ?? {}) as Record<string, TSchema>).filter(([, p]) => p.type === 'integer');

const numericInputs = (Object.keys(ROUTE_SCHEMAS) as RouteName[]).flatMap((name) => {
  const s: RouteSchema = ROUTE_SCHEMAS[name];
  return [
    ...integerFields(s.query).map(([field, schema]) => ({ name, part: 'querystring' as const, field, schema })),
    ...integerFields(s.params).map(([field, schema]) => ({ name, part: 'params' as const, field, schema })),
  ];
});

describe('numeric query and path values', () => {
  it('the catalogue has numeric inputs to check', () => {
    expect(numericInputs.map((i) => `${i.name}.${i.field}`)).toEqual(
      expect.arrayContaining(['members.limit', 'members.offset', 'events.limit', 'audit.from', 'revokeCredential.id']),
    );
  });

  it('every one has finite bounds and checks its type again after coercion (BoundedInt)', () => {
    for (const { name, field, schema } of numericInputs) {
      expect(Number.isFinite(schema.minimum), `${name}.${field} minimum`).toBe(true);
      expect(Number.isFinite(schema.maximum), `${name}.${field} maximum`).toBe(true);
      expect(schema.allOf, `${name}.${field} is a BoundedInt`).toEqual([{ type: 'integer' }]);
    }
  });

  it('"Infinity", "-Infinity" and "1e309" are a 400 naming the field, on every route', async () => {
    const h = await httpApp();
    for (const { name, part, field } of numericInputs) {
      for (const bad of ['Infinity', '-Infinity', '1e309']) {
        const at = part === 'params' ? { params: { [field]: bad } } : { query: { [field]: bad } };
        expectBadField(name, await h.call(name, { as: 'ida', ...at }), `${part}/${field}`);
      }
    }
  });

  it('finite values within the bounds still work', async () => {
    const h = await httpApp();
    const page = expectReply('members', await h.call('members', { as: 'mette', query: { limit: 2, offset: 1 } }));
    expect([page.items.length, page.total]).toEqual([2, 5]);
    expectBadField('audit', await h.call('audit', { as: 'ida', query: { from: 9e15 } }), 'querystring/from');
  });
});
