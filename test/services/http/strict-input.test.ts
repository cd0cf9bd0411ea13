// Strict input (issue 12, finding 11): a body is checked as sent (no type coercion), a property
// its schema does not list is refused with a 400 naming it, and names others see are normalised
// and refuse control and bidi characters. Query strings still coerce text to numbers. The first
// block checks the mechanism over the whole route catalogue, the rest the cases of the finding
// through the real HTTP layer.
import { describe, it, expect } from 'vitest';
import { Type, type TSchema } from '@sinclair/typebox';
import { httpApp, expectReply, expectBadField, expectRefusal, PEOPLE } from '../../helpers/http-app.ts';
import { ROUTES, type RouteName } from '../../../contracts/routes.ts';
import { ROUTE_SCHEMAS, type RouteSchema } from '../../../contracts/route-schemas.ts';
import { PATTERNS, normaliseName } from '../../../contracts/patterns.ts';
import { closed, routeOptions } from '../../../services/http/route.ts';
import { validatorCompiler } from '../../../services/http/validation.ts';

type Node = Record<string, unknown>;

/** The smallest body a schema accepts: required properties only, each its simplest valid value. */
function sample(s: Node): unknown {
  if (s.const !== undefined) return s.const;
  if (s.anyOf) return sample((s.anyOf as Node[])[0]!);
  switch (s.type) {
    case 'object': {
      const props = s.properties as Record<string, Node>;
      const keys = (s.required as string[] | undefined) ?? [];
      // A patch body wants at least one property: take the first it lists.
      if (keys.length < ((s.minProperties as number | undefined) ?? 0)) keys.push(Object.keys(props).find((k) => !keys.includes(k))!);
      return Object.fromEntries(keys.map((k) => [k, sample(props[k]!)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string': {
      const byPattern: Record<string, string> = {
        [PATTERNS.id]: 'x',
        [PATTERNS.eventId]: 'event-0001',
        [PATTERNS.email]: 'a@b.dk',
        [PATTERNS.localDate]: '2025-05-07',
        [PATTERNS.localDateTime]: '2025-05-08T10:00',
        [PATTERNS.hex64]: 'ab'.repeat(32),
        [PATTERNS.name]: 'x',
        // Alert prefs' quiet hours (HH:MM) and a push subscription's endpoint (contracts/api/alerts.ts).
        '^([01][0-9]|2[0-3]):[0-5][0-9]$': '08:00',
        '^https?://': 'https://push.example/x',
      };
      if (s.pattern !== undefined) {
        const known = byPattern[s.pattern as string];
        if (known === undefined) throw new Error(`no sample for the pattern ${JSON.stringify(s.pattern)}: add one`);
        return known;
      }
      return 'x'.repeat((s.minLength as number | undefined) ?? 1);
    }
    default:
      throw new Error(`no sample for ${JSON.stringify(s)}`);
  }
}

const bodyRoutes = (Object.keys(ROUTES) as RouteName[]).filter((n) => (ROUTE_SCHEMAS[n] as RouteSchema).body !== undefined);
const bodyValidator = (name: RouteName) => {
  const o = routeOptions(name);
  const schema = (o.schema as { body: TSchema }).body;
  return validatorCompiler({ schema, method: o.method as string, url: o.url, httpPart: 'body' }) as ((d: unknown) => boolean) & {
    errors?: { message?: string }[] | null;
  };
};

describe('every body in the route catalogue', () => {
  it('has bodies to check (the walk sees the catalogue)', () => {
    expect(bodyRoutes).toEqual(expect.arrayContaining(['login', 'addMember', 'changeMember', 'addPlan', 'doorCommand', 'startEnrolment']));
  });

  it.each(bodyRoutes)('%s refuses an unknown property, naming it', (name) => {
    const v = bodyValidator(name);
    const ok = sample(routeOptions(name).schema!.body as Node) as Node;
    expect(v(structuredClone(ok)), `${name}: the sample body is valid: ${JSON.stringify(v.errors)}`).toBe(true);
    expect(v({ ...ok, bogus: 1 })).toBe(false);
    expect(v.errors?.[0]?.message).toContain('"bogus"');
  });

  it.each(bodyRoutes)('%s closes every object in its body, nested ones included', (name) => {
    const open: string[] = [];
    const walk = (s: unknown, at: string): void => {
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (s === null || typeof s !== 'object') return;
      const n = s as Node;
      if (n.type === 'object' && n.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(routeOptions(name).schema!.body, name);
    expect(open).toEqual([]);
  });
});

describe('closed()', () => {
  it('closes an object a schema left open, at any depth, and keeps what a schema says itself', () => {
    const open = Type.Object({
      a: Type.Object({ b: Type.String() }),
      list: Type.Array(Type.Object({ c: Type.Integer() })),
      either: Type.Union([Type.Object({ d: Type.Boolean() }), Type.Null()]),
      free: Type.Object({ e: Type.String() }, { additionalProperties: true }),
    });
    const c = closed(open) as { additionalProperties: unknown; properties: Record<string, Node> };
    expect(c.additionalProperties).toBe(false);
    expect(c.properties.a!.additionalProperties).toBe(false);
    expect((c.properties.list!.items as Node).additionalProperties).toBe(false);
    expect((c.properties.either!.anyOf as Node[])[0]!.additionalProperties).toBe(false);
    expect(c.properties.free!.additionalProperties).toBe(true);
    // The catalogue's schema itself is not changed, and one copy serves every registration.
    expect((open as Node).additionalProperties).toBeUndefined();
    expect(closed(open)).toBe(c);
  });
});

describe('no type coercion in bodies', () => {
  it('an array where the login expects a string is a 400 naming the field, not a login', async () => {
    const h = await httpApp();
    const res = await h.call('login', { body: { email: [PEOPLE.jonas.email], password: PEOPLE.jonas.password } });
    expectBadField('login', res, 'body/email');
    expect(res.headers['set-cookie']).toBeUndefined();
    expectBadField('login', await h.call('login', { body: { email: PEOPLE.jonas.email, password: [PEOPLE.jonas.password] } }), 'body/password');
  });

  it('a number for a string, a string for a boolean: 400, nothing changed', async () => {
    const h = await httpApp();
    expectBadField('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'jonas' }, body: { name: 42 } }), 'body/name');
    expectBadField('setPresence', await h.call('setPresence', { as: 'jonas', body: { optIn: 'true' } }), 'body/optIn');
    expect(h.store.members.byId('jonas')).toMatchObject({ name: 'Jonas Brandt', presenceOptIn: true });
  });

  it('the login still trims and ignores the case of the e-mail', async () => {
    const h = await httpApp();
    const me = expectReply('login', await h.call('login', { body: { email: `  ${PEOPLE.jonas.email.toUpperCase()} `, password: PEOPLE.jonas.password } }));
    expect(me.id).toBe('jonas');
  });
});

describe('unknown properties in bodies', () => {
  it('are refused with 400 naming the property, not dropped', async () => {
    const h = await httpApp();
    const msg = expectRefusal(
      'changeMember',
      await h.call('changeMember', { as: 'mette', params: { id: 'jonas' }, body: { name: 'x', bogus: 1 } }),
      400,
      'bad-request',
    );
    expect(msg).toContain('bogus');
    expect(h.store.members.byId('jonas')?.name).toBe('Jonas Brandt');
  });
});

describe('names', () => {
  it.each([
    ['NUL', '\u0000x'],
    ['a right-to-left override', 'a\u202Eb'],
    ['an isolate', 'a\u2066b'],
    ['a left-to-right mark', 'a\u200Eb'],
    ['a C1 control', 'a\u0085b'],
    ['a tab', 'a\tb'],
    ['only spaces', '   '],
  ])('with %s are refused, naming the field', async (_what, name) => {
    const h = await httpApp();
    expectBadField('addMember', await h.call('addMember', { as: 'mette', body: { name, email: 'new@kystkontor.dk' } }), 'body/name');
    expectBadField('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'jonas' }, body: { name } }), 'body/name');
    expectBadField('addPlan', await h.call('addPlan', { as: 'ida', body: { name, doors: [] } }), 'body/name');
    expectBadField(
      'issuePass',
      await h.call('issuePass', { as: 'mette', body: { member: 'jonas', kind: 'guest', plan: 'flex', from: '2025-05-07', label: name } }),
      'body/label',
    );
  });

  it('are stored normalised: NFC, trimmed, inner spaces collapsed', async () => {
    const h = await httpApp();
    // "å" sent decomposed (a + combining ring, as some keyboards do) is stored as the one code point.
    const m = expectReply(
      'addMember',
      await h.call('addMember', { as: 'mette', body: { name: ' Anna \u00A0 \u00D8sterga\u030Ard ', email: ' Anna@KystKontor.dk' } }),
    );
    expect(m.name).toBe('Anna \u00D8sterg\u00E5rd');
    expect(h.store.members.byId(m.id as string)).toMatchObject({ name: 'Anna Østergård', email: 'anna@kystkontor.dk' });
    const plain = expectReply('addMember', await h.call('addMember', { as: 'mette', body: { name: '  Anna Østergård ', email: 'anna.o@kystkontor.dk' } }));
    expect(plain.name).toBe('Anna Østergård');
    const changed = expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'jonas' }, body: { name: 'Jonas   Brandt\u3000' } }));
    expect(changed.name).toBe('Jonas Brandt');
  });

  it('normaliseName leaves control characters for the pattern to refuse', () => {
    expect(normaliseName(' a\tb ')).toBe('a\tb');
    expect(normaliseName('\u2003Anna\u2009\u2009Berg\u00A0')).toBe('Anna Berg');
  });
});

describe('query strings still coerce text', () => {
  it('?limit=10 is the number 10; a repeated key is not made an array of one', async () => {
    const h = await httpApp();
    const page = expectReply('members', await h.call('members', { as: 'mette', query: { limit: '2' } }));
    expect(page.items).toHaveLength(2);
    for (const bad of ['Infinity', '1e309', 'ten'])
      expectBadField('members', await h.call('members', { as: 'mette', query: { limit: bad } }), 'querystring/limit');
    const twice = await h.app.inject({ method: 'GET', url: '/api/members?limit=2&limit=3', headers: { cookie: await h.login('mette') } });
    expectBadField('members', twice, 'querystring/limit');
  });
});
