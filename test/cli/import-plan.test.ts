import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/csv.ts';
import { applyImport, planImport, splitCards } from '../../cli/import-plan.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { openMemoryStore, type Store } from '../../services/db/store.ts';
import { regex } from '../../contracts/patterns.ts';

const KEY = 'site-key-for-tests-0123456789';
const AUDIT = { actor: 'cli', source: 'cli:test' };

function storeWithPlan(): Store {
  const store = openMemoryStore();
  store.plans.upsert({ id: 'flex', name: 'Flex', doors: ['front'], windows: [], offline: false, validFrom: null, validTo: null });
  store.members.insert(
    { id: 'eva', name: 'Eva', email: 'eva@example.org', role: 'member', plan: 'flex', presenceOptIn: false, active: true, passwordHash: 'x' },
    0,
  );
  store.credentials.insert({ member: 'eva', fingerprint: fingerprint(KEY, 'EVA0000001') }, 0);
  return store;
}

describe('import members.csv: the plan', () => {
  it('makes a member per row, cards fingerprinted as the gateway does, and applies them in one go', () => {
    const store = storeWithPlan();
    const csv = parseCsv(
      'name;email;role;plan;cards;active\r\n  Anna   Berg ; Anna@Example.org;;flex;"ab12cd34ef  123,45678";ja\r\nBo;bo@example.org;host;;;nej\r\n',
    );
    const plan = planImport(csv, store, KEY);
    expect(plan.errors).toEqual([]);
    expect(plan.members).toEqual([
      {
        line: 2,
        id: expect.stringMatching(regex('memberId')),
        name: 'Anna Berg',
        email: 'anna@example.org',
        role: 'member',
        plan: 'flex',
        active: true,
        fingerprints: [fingerprint(KEY, 'AB12CD34EF'), fingerprint(KEY, '123,45678')],
        netFingerprints: [],
      },
      {
        line: 3,
        id: expect.stringMatching(regex('memberId')),
        name: 'Bo',
        email: 'bo@example.org',
        role: 'host',
        plan: null,
        active: false,
        fingerprints: [],
        netFingerprints: [],
      },
    ]);
    expect(store.members.count()).toBe(1); // planning changes nothing
    expect(applyImport(store, plan.members, AUDIT, 1000)).toBe(2);
    const anna = plan.members[0]!.id;
    expect(store.members.byId(anna)).toMatchObject({ plan: 'flex', active: true });
    expect(store.members.withHashByEmail('bo@example.org')?.passwordHash).toBe('no-login');
    // The access list sees Anna's cards (what the services compile for the gateways).
    expect(store.credentials.grants().filter((g) => g.member === anna)).toHaveLength(2);
  });

  it('reports every error by line and column, and plans no member for a bad row', () => {
    const store = storeWithPlan();
    const csv = parseCsv(
      [
        'name,email,role,plan,cards,language,active',
        'Anna,anna@example.org,member,flex,C1 C2,da,yes',
        ',not-an-email,boss,gold,C2,fr,maybe',
        'Eva Again,EVA@example.org,,,EVA0000001,,',
        'Anna Two,Anna@Example.org,,,1.23457E+11 C3;C3,,',
        'Bo\u202Eb,bo@example.org,,,,,',
      ].join('\n'),
    );
    const plan = planImport(csv, store, KEY);
    expect(plan.members.map((m) => m.line)).toEqual([2]);
    expect([...plan.badLines].sort()).toEqual([3, 4, 5, 6]);
    const at = (line: number) => plan.errors.filter((e) => e.line === line).map((e) => `${e.column}: ${e.reason}`);
    expect(at(3)).toEqual([
      'name: empty',
      'email: "not-an-email" is not an e-mail address',
      'role: "boss" is not one of member, host, operator',
      'plan: unknown plan "gold" (plans: flex)',
      'language: "fr" is not one of en, da',
      'active: "maybe" is not yes or no',
      'cards: card 1: also on line 2',
    ]);
    expect(at(4)).toEqual(['email: already a member (eva)', 'cards: card 1: already enrolled (member eva)']);
    expect(at(5)).toEqual([
      'email: duplicate: also on line 2',
      'cards: card 1: written in scientific notation by the spreadsheet (format the column as text and export again)',
      'cards: card 3: also on line 5 (same row)',
    ]);
    expect(at(6)).toEqual(['name: has a control or text-direction character']);
    // A card number never appears in an error (they end up in logs).
    expect(plan.errors.map((e) => e.reason).join(' ')).not.toMatch(/C1|C2|C3|EVA0000001/);
    expect(plan.languageIgnored).toBe(true);
  });

  it('refuses a header without name or email, or with an unknown or doubled column', () => {
    const plan = planImport(parseCsv('navn,phone,navn\nAnna,123,Anna\n'), openMemoryStore(), KEY);
    expect(plan.errors.map((e) => e.reason)).toEqual([
      'unknown column "phone" (columns: name, email, role, plan, cards, language, active)',
      'column "navn" given twice',
      'missing column "email"',
    ]);
    expect(plan.members).toEqual([]);
    expect(plan.badLines.has(1)).toBe(true);
  });

  it('gives each member a random opaque id, a second "Anna Berg" her own, and says when there are no plans yet', () => {
    const store = openMemoryStore();
    const plan = planImport(parseCsv('name,email,plan\nAnna Berg,a1@x.dk,\nAnna Berg,a2@x.dk,\nBo,b@x.dk,flex\n'), store, KEY);
    const ids = plan.members.map((m) => m.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(regex('memberId'));
    expect(ids[0]).not.toBe(ids[1]);
    expect(plan.errors).toEqual([{ line: 4, column: 'plan', reason: 'unknown plan "flex" (no plans yet: make them in the dashboard first)' }]);
  });

  it('splits cards at spaces and ";" but keeps the comma of a w26 number', () => {
    expect(splitCards(' 123,45678;ABCDEF  0012345678 ')).toEqual(['123,45678', 'ABCDEF', '0012345678']);
  });
});
