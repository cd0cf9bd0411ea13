import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CredentialView, EnrolmentView, MemberView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/cards-panel.ts';
import type { CardsPanel } from '../../dashboard/src/components/cards-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { applyLive, EMPTY_STATE, isLiveMessage } from '../../dashboard/src/data/store.ts';
import { door, fakeFetch, jsonBody, settle, T0, text } from './fixtures.ts';

function member(id: string, name: string): MemberView {
  return { id, name, email: `${id}@example.dk`, role: 'member', plan: 'flex', status: 'active', presenceOptIn: false, createdAt: T0, credentials: 1 };
}

function credential(over: Partial<CredentialView> = {}): CredentialView {
  return {
    id: 7,
    member: 'm-jonas',
    kind: 'card',
    tail: 'a1b2c3',
    label: null,
    numberTail: null,
    plan: null,
    validFrom: null,
    validTo: null,
    status: 'live',
    createdAt: T0,
    revokedAt: null,
    ...over,
  };
}

const WAITING: EnrolmentView = {
  id: '7f1c2a4e-1111-4222-8333-944445555666',
  member: 'm-jonas',
  memberName: 'Jonas Brandt',
  door: 'meeting',
  status: 'waiting',
  startedAt: T0 - 5_000, // the server's clock is 5 s behind: the countdown still runs 60 s here
  expiresAt: T0 + 55_000,
  candidates: [],
  credential: null,
};

/** A card tapped at the reader 5 s in (10:30:05 in Copenhagen); the window grows to a minute after the tap. */
const TAPPED: EnrolmentView = {
  ...WAITING,
  status: 'tapped',
  expiresAt: T0 + 60_000,
  candidates: [{ id: '0196a5e0-0000-7000-8000-0000000000e1', tail: 'a1b2c3', at: T0 + 5_000 }],
};

const MEMBERS = { status: 200, body: { items: [member('m-sofie', 'Sofie Lund'), member('m-jonas', 'Jonas Brandt')], total: 2 } };

afterEach(() => {
  locale.reset();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

async function mount(answers: Parameters<typeof fakeFetch>[0], viewer: { role: string; me: string } = { role: 'host', me: 'm-mette' }) {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(T0);
  const api = fakeFetch(answers);
  vi.stubGlobal('fetch', api.fn);
  const el = document.createElement('ss-cards');
  el.setAttribute('role', viewer.role);
  el.setAttribute('me', viewer.me);
  el.doors = [door(), door({ id: 'meeting', name: 'Meeting room' })];
  document.body.append(el);
  await settle(el);
  return { el, api, root: el.shadowRoot! };
}

async function choose(el: CardsPanel, field: 'member' | 'door', value: string) {
  const select = el.shadowRoot!.querySelector<HTMLSelectElement>(`select[data-field=${field}]`)!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await settle(el);
}

async function start(el: CardsPanel) {
  el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=start-enrolment]')!.click();
  await settle(el);
}

const status = (root: ShadowRoot) => root.querySelector<HTMLElement>('[data-testid=enrolment]');

describe('enrolment in the live state', () => {
  it('keeps the latest word on each enrolment, across snapshots', () => {
    const msg = { type: 'enrolment', enrolment: WAITING } as const;
    expect(isLiveMessage(msg)).toBe(true);
    let state = applyLive(EMPTY_STATE, msg);
    state = applyLive(state, { type: 'enrolment', enrolment: { ...WAITING, status: 'bound', credential: credential() } });
    state = applyLive(state, { type: 'snapshot', doors: [], desks: [], events: [], gateways: [] });
    expect(state.enrolments.map((e) => e.status)).toEqual(['bound']);
  });
});

describe('cards panel', () => {
  it('offers a host the members and themselves, an operator everyone (as the services allow)', async () => {
    const staff = {
      status: 200,
      body: {
        items: [
          member('m-jonas', 'Jonas Brandt'),
          { ...member('m-mette', 'Mette Host'), role: 'host' },
          { ...member('m-ole', 'Ole Host'), role: 'host' },
          { ...member('m-ida', 'Ida Operator'), role: 'operator' },
        ],
        total: 4,
      },
    };
    const options = (root: ShadowRoot) => [...root.querySelectorAll('select[data-field=member] option')].map((o) => text(o)).slice(1);
    const host = await mount([staff]);
    expect(options(host.root)).toEqual(['Jonas Brandt', 'Mette Host']);
    document.body.replaceChildren();
    const operator = await mount([staff], { role: 'operator', me: 'm-ida' });
    expect(options(operator.root)).toEqual(['Ida Operator', 'Jonas Brandt', 'Mette Host', 'Ole Host']);
  });

  it('enrols a card: member and reader, start, a live countdown, the tap shown, bound only on confirm, undo', async () => {
    const bound = { ...TAPPED, status: 'bound', credential: credential() };
    const { el, root, api } = await mount([
      MEMBERS,
      { status: 200, body: [] },
      { status: 201, body: WAITING },
      { status: 200, body: bound },
      { status: 200, body: [credential()] },
      { status: 200, body: { ...bound, status: 'undone', credential: credential({ status: 'revoked', revokedAt: T0 }) } },
      { status: 200, body: [credential({ status: 'revoked', revokedAt: T0 })] },
    ]);
    const names = [...root.querySelectorAll('select[data-field=member] option')].map((o) => text(o));
    expect(names).toEqual(['Choose a member…', 'Jonas Brandt', 'Sofie Lund']);
    expect([...root.querySelectorAll('select[data-field=door] option')].map((o) => text(o))).toEqual(['Choose a reader…', 'Front door', 'Meeting room']);
    expect(root.querySelector<HTMLButtonElement>('[data-action=start-enrolment]')!.disabled).toBe(true);
    await choose(el, 'member', 'm-jonas');
    expect(text(root.querySelector('#list-title'))).toBe('Cards and PINs of Jonas Brandt');
    // No reader is chosen for the host: the one they stand at must be picked.
    expect(root.querySelector<HTMLButtonElement>('[data-action=start-enrolment]')!.disabled).toBe(true);
    await choose(el, 'door', 'meeting');
    await start(el);
    const post = api.calls[2]!;
    expect([post.url, post.init?.method, post.init?.body]).toEqual(['/api/enrolments', 'POST', '{"member":"m-jonas","door":"meeting"}']);
    expect(status(root)?.dataset.status).toBe('waiting');
    expect(text(status(root))).toContain('Waiting for a tap at Meeting room…');
    expect(text(root.querySelector('[data-testid=countdown]'))).toBe('60 seconds left');
    vi.advanceTimersByTime(5_000);
    await settle(el);
    expect(text(root.querySelector('[data-testid=countdown]'))).toBe('55 seconds left');
    expect(root.querySelector<HTMLButtonElement>('[data-action=start-enrolment]')!.disabled).toBe(true);

    // The tap arrives live: shown, not bound; the host has a minute from the tap to confirm.
    el.enrolments = [TAPPED];
    await settle(el);
    expect(status(root)?.dataset.status).toBe('tapped');
    expect(text(status(root)!.querySelector('p.big'))).toBe('A card was tapped at Meeting room.');
    expect(text(status(root)!.querySelector('p.big + p'))).toBe('Is it the member’s new card? Nothing is added until you confirm.');
    expect(text(root.querySelector('[data-candidate] span'))).toBe('Card …a1b2c3, tapped at 10:30:05');
    expect(root.querySelector('[data-testid=several]')).toBeNull();
    expect(text(root.querySelector('[data-testid=countdown]'))).toBe('60 seconds left');
    expect(api.calls).toHaveLength(3); // nothing sent before the confirm
    const confirm = root.querySelector<HTMLButtonElement>('[data-action=confirm-enrolment]')!;
    expect(confirm.getAttribute('aria-label')).toBe('Confirm card …a1b2c3');
    confirm.click();
    await settle(el);
    expect([api.calls[3]!.url, api.calls[3]!.init?.method, jsonBody(api.calls[3]!.init)]).toEqual([
      `/api/enrolments/${WAITING.id}/confirm`,
      'POST',
      { candidate: TAPPED.candidates[0]!.id },
    ]);
    await settle(el);
    expect(status(root)?.dataset.status).toBe('bound');
    expect(text(status(root)!.querySelector('p'))).toBe('Card …a1b2c3 now opens for Jonas Brandt.');
    expect(api.calls[4]!.url).toBe('/api/members/m-jonas/credentials');
    expect([...root.querySelectorAll('[data-credential]')].map((li) => text(li))).toEqual(['Card …a1b2c3 · works Replace Revoke']);

    // Undo, right on the result: the card is removed again.
    root.querySelector<HTMLButtonElement>('[data-action=undo-enrolment]')!.click();
    await settle(el);
    expect([api.calls[5]!.url, api.calls[5]!.init?.method]).toEqual([`/api/enrolments/${WAITING.id}/undo`, 'POST']);
    await settle(el);
    expect(status(root)?.dataset.status).toBe('undone');
    expect(text(status(root))).toBe('Card …a1b2c3 is removed from Jonas Brandt again; it no longer opens.');
    expect([...root.querySelectorAll('[data-credential]')].map((li) => text(li))).toEqual(['Card …a1b2c3 · revoked']);
  });

  it('a host names the card and sees the end of its printed number, in the enrolment and the list (Danish)', async () => {
    locale.set('da', false);
    const named = credential({ numberTail: '0A01', label: 'Blå nøglebrik' });
    const { el, root, api } = await mount([
      MEMBERS,
      { status: 200, body: [] },
      { status: 201, body: WAITING },
      { status: 200, body: { ...TAPPED, status: 'bound', credential: named } },
      { status: 200, body: [named] },
    ]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'front');
    await start(el);
    el.enrolments = [{ ...TAPPED, candidates: [{ ...TAPPED.candidates[0]!, numberTail: '0A01' }] }];
    await settle(el);
    // The number on the card, not a hash tail: what the host can read off the card in their hand.
    expect(text(root.querySelector('[data-candidate] span'))).toBe('Kort …0A01, holdt til læseren kl. 10.30.05');
    expect(root.querySelector('[data-action=confirm-enrolment]')!.getAttribute('aria-label')).toBe('Bekræft kort …0A01');
    const input = root.querySelector<HTMLInputElement>('input[data-field=card-label]')!;
    expect(text(input.closest('label'))).toBe('Navn til kortet (valgfrit)');
    input.value = '  Blå nøglebrik ';
    input.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('[data-action=confirm-enrolment]')!.click();
    await settle(el);
    expect(jsonBody(api.calls[3]!.init)).toEqual({ candidate: TAPPED.candidates[0]!.id, label: 'Blå nøglebrik' });
    await settle(el);
    expect(text(status(root)!.querySelector('p'))).toBe('Kort …0A01 åbner nu for Jonas Brandt.');
    expect([...root.querySelectorAll('[data-credential]')].map((li) => text(li))[0]).toMatch(/^Kort …0A01 \(Blå nøglebrik\)/);
  });

  it('shows every different card tapped there, in Danish too; running out adds none', async () => {
    locale.set('da', false);
    const { el, root, api } = await mount([MEMBERS, { status: 200, body: [] }, { status: 201, body: WAITING }]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'front');
    await start(el);
    el.enrolments = [{ ...TAPPED, candidates: [...TAPPED.candidates, { id: '0196a5e0-0000-7000-8000-0000000000e2', tail: 'ffee00', at: T0 + 7_000 }] }];
    await settle(el);
    expect(text(root.querySelector('[data-testid=several]'))).toBe(
      'Der blev holdt mere end ét kort til læseren. Bekræft kun medlemmets kort, eller annullér og start igen.',
    );
    expect([...root.querySelectorAll('[data-candidate] span')].map((s) => text(s))).toEqual([
      'Kort …a1b2c3, holdt til læseren kl. 10.30.05',
      'Kort …ffee00, holdt til læseren kl. 10.30.07',
    ]);
    expect([...root.querySelectorAll('[data-action=confirm-enrolment]')].map((b) => text(b))).toEqual(['Bekræft', 'Bekræft']);
    // The server gave a minute from the tap: 65 s from the start here.
    vi.advanceTimersByTime(64_000);
    await settle(el);
    expect(status(root)?.dataset.status).toBe('tapped');
    vi.advanceTimersByTime(1_000);
    await settle(el);
    expect(status(root)?.dataset.status).toBe('expired');
    expect(text(status(root))).toBe('Intet kort blev bekræftet i tide, så intet blev tilføjet. Start igen for at prøve en gang til.');
    expect(api.calls).toHaveLength(3);
  });

  it('says why a confirm was refused', async () => {
    const { el, root } = await mount([
      MEMBERS,
      { status: 200, body: [] },
      { status: 201, body: WAITING },
      { status: 409, body: { error: 'not-waiting', message: 'over' } },
    ]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'meeting');
    await start(el);
    el.enrolments = [TAPPED];
    await settle(el);
    root.querySelector<HTMLButtonElement>('[data-action=confirm-enrolment]')!.click();
    await settle(el);
    expect(text(root.querySelector('[data-testid=enrol-note]'))).toBe(
      'Could not add the card: it is already over. Start again if the card still needs enrolling.',
    );
  });

  it('replaces a live card: the enrolment names it, and once the new card is bound the list shows the old one revoked', async () => {
    const { el, root, api } = await mount([
      MEMBERS,
      { status: 200, body: [credential()] },
      { status: 201, body: WAITING },
      { status: 200, body: [credential({ status: 'revoked', revokedAt: T0 }), credential({ id: 12, tail: 'ddeeff' })] },
    ]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'meeting');
    expect(root.querySelector('[data-action=replace]')!.getAttribute('aria-label')).toBe('Replace Card …a1b2c3 with a new card');
    root.querySelector<HTMLButtonElement>('[data-action=replace]')!.click();
    await settle(el);
    expect(jsonBody(api.calls[2]!.init)).toEqual({ member: 'm-jonas', door: 'meeting', replaces: 7 });
    expect(text(root.querySelector('[data-testid=replacing]'))).toBe('The new card replaces Card …a1b2c3: it is revoked once you confirm the new card.');
    expect(root.querySelector<HTMLButtonElement>('[data-action=replace]')!.disabled).toBe(true);
    el.enrolments = [{ ...WAITING, status: 'bound', credential: credential({ id: 12, tail: 'ddeeff' }) }];
    await settle(el);
    expect(text(status(root)!.querySelector('p'))).toBe('Card …ddeeff now opens for Jonas Brandt; card …a1b2c3 is revoked.');
    expect([...root.querySelectorAll('[data-credential]')].map((li) => text(li))).toEqual(['Card …a1b2c3 · revoked', 'Card …ddeeff · works Replace Revoke']);
  });

  it('says when no card was tapped in time, and lets the host start again', async () => {
    const { el, root } = await mount([MEMBERS, { status: 200, body: [] }, { status: 201, body: WAITING }]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'meeting');
    await start(el);
    vi.advanceTimersByTime(60_000);
    await settle(el);
    expect(status(root)?.dataset.status).toBe('expired');
    expect(text(status(root))).toBe('No card was tapped in time. Start again to try once more.');
    expect(root.querySelector<HTMLButtonElement>('[data-action=start-enrolment]')!.disabled).toBe(false);
  });

  it('cancels a waiting enrolment', async () => {
    const { el, root, api } = await mount([
      MEMBERS,
      { status: 200, body: [] },
      { status: 201, body: WAITING },
      { status: 200, body: { ...WAITING, status: 'cancelled' } },
    ]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'meeting');
    await start(el);
    root.querySelector<HTMLButtonElement>('[data-action=cancel-enrolment]')!.click();
    await settle(el);
    expect(api.calls[3]!.init?.method).toBe('DELETE');
    expect(api.calls[3]!.url).toBe(`/api/enrolments/${WAITING.id}`);
    expect(text(status(root))).toBe('Enrolment cancelled. No card was added.');
  });

  it('says why a start was refused, in Danish too', async () => {
    locale.set('da', false);
    const { el, root } = await mount([MEMBERS, { status: 200, body: [] }, { status: 409, body: { error: 'enrolment-open', message: 'busy' } }]);
    await choose(el, 'member', 'm-jonas');
    await choose(el, 'door', 'meeting');
    await start(el);
    expect(status(root)).toBeNull();
    const note = root.querySelector('[data-testid=enrol-note]')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(text(note)).toBe('Kunne ikke starte tilmeldingen: døren venter allerede på et kort. Vent et minut, eller annullér den tilmelding.');
  });

  it('revokes a card after a yes, and says so', async () => {
    const { el, root, api } = await mount([
      MEMBERS,
      { status: 200, body: [credential(), credential({ id: 8, kind: 'pin', tail: '0f0f0f', label: 'Guest pass', status: 'revoked', revokedAt: T0 })] },
      { status: 200, body: credential({ status: 'revoked', revokedAt: T0 }) },
    ]);
    await choose(el, 'member', 'm-jonas');
    expect(root.querySelectorAll('[data-action=revoke]')).toHaveLength(1); // not for the revoked PIN
    root.querySelector<HTMLButtonElement>('[data-action=revoke]')!.click();
    await settle(el);
    expect(api.calls).toHaveLength(2); // nothing sent before the yes
    expect(text(root.querySelector('[data-credential="7"] [role=group] span'))).toBe('Revoke Card …a1b2c3? It stops working at the doors within a minute.');
    root.querySelector<HTMLButtonElement>('[data-action=revoke-yes]')!.click();
    await settle(el);
    expect([api.calls[2]!.url, api.calls[2]!.init?.method]).toEqual(['/api/credentials/7', 'DELETE']);
    expect(text(root.querySelector('[data-credential="7"]'))).toBe('Card …a1b2c3 · revoked');
    expect(text(root.querySelector('[data-testid=revoke-note]'))).toBe('Card …a1b2c3 is revoked.');
  });

  it('says what failed when a revocation does not go through', async () => {
    const { el, root } = await mount([MEMBERS, { status: 200, body: [credential()] }, new TypeError('offline')]);
    await choose(el, 'member', 'm-jonas');
    root.querySelector<HTMLButtonElement>('[data-action=revoke]')!.click();
    await settle(el);
    root.querySelector<HTMLButtonElement>('[data-action=revoke-yes]')!.click();
    await settle(el);
    expect(text(root.querySelector('[data-credential="7"]'))).toBe('Card …a1b2c3 · works Replace Revoke');
    expect(text(root.querySelector('[data-testid=revoke-note]'))).toMatch(/^Could not revoke: no connection to the server/);
  });

  it('shows a suspended member’s live cards and PINs as blocked, in Danish too', async () => {
    const suspended = { status: 200, body: { items: [{ ...member('m-jonas', 'Jonas Brandt'), status: 'suspended' }], total: 1 } };
    const list = { status: 200, body: [credential(), credential({ id: 8, kind: 'pin', tail: '0f0f0f', status: 'expired' })] };
    const { el, root } = await mount([suspended, list]);
    await choose(el, 'member', 'm-jonas');
    expect([...root.querySelectorAll('[data-credential]')].map((li) => text(li))).toEqual([
      'Card …a1b2c3 · blocked — member suspended Replace Revoke',
      'PIN …0f0f0f · expired Revoke',
    ]);
    expect(root.querySelector('[data-credential="7"]')!.getAttribute('data-blocked')).toBe('suspended');
    expect(root.querySelector('[data-credential="8"]')!.hasAttribute('data-blocked')).toBe(false);
    locale.set('da', false);
    await settle(el);
    expect(text(root.querySelector('[data-credential="7"] [data-field=blocked]'))).toBe('spærret — medlemmet er suspenderet');
  });

  it('offers to try again when the members cannot be loaded', async () => {
    const { el, root } = await mount([{ status: 403, body: { error: 'forbidden', message: 'no' } }, MEMBERS]);
    expect(text(root.querySelector('[role=alert] p'))).toBe('Could not load the members: your role may not do this. Ask an operator.');
    root.querySelector<HTMLButtonElement>('[role=alert] button')!.click();
    await settle(el);
    expect(root.querySelectorAll('select[data-field=member] option')).toHaveLength(3);
  });
});
